using System.Globalization;
using CrmEngine.Plugins.Partners.Agreements;
using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Funds;
using CrmEngine.Plugins.Partners.Incentives;
using CrmEngine.Plugins.Partners.Registrations;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Profiles;

/// <summary>
/// <c>partnerHistory(partnerId, first)</c>: the cooperation history (合作历史) of a partner, newest
/// first: its agreements, certifications, deal registrations, the opportunities it sourced or
/// influenced and their orders, its funds (MDF requests and claims, payouts) and the messages
/// exchanged on its deals (sales' activities on its opportunities or the accounts it brought: calls,
/// visits, e-mails, WeChat; sales wants every activity about a customer, so none is "with" a partner alone),
/// each with when, what and where it stands. Read as the caller: what they may not see is not in it.
/// </summary>
internal sealed class PartnerHistory : IPluginOperation
{
    private static readonly TypeRef Event = TypeRef.Object("PartnerHistoryEvent",
        new FieldRef("at", TypeRef.DateTime.NonNull(), "When it happened (created; submitted for registrations, occurred for activities)."),
        new FieldRef("kind", TypeRef.Enum("PartnerHistoryKind", "AGREEMENT", "CERTIFICATION", "REGISTRATION", "OPPORTUNITY", "ORDER", "MDF_REQUEST", "MDF_CLAIM", "PAYOUT", "ACTIVITY").NonNull()),
        new FieldRef("title", TypeRef.String.NonNull()),
        new FieldRef("status", TypeRef.String),
        new FieldRef("recordId", TypeRef.Id.NonNull(), "The record, for node(id:)."));

    public string Name => "partnerHistory";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "A partner's cooperation history, newest first: agreements, certifications, registrations, opportunities, orders, MDF requests and claims, payouts and activities.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("partnerId", TypeRef.Id.NonNull()), new("first", TypeRef.Int, "1 to 200; 50 when left out.")];

    public TypeRef Result => TypeRef.ListOf(Event).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var partner = await Writes.ExistingAsync(context, PartnerEntities.Partner, "partnerId", cancellationToken);
        var first = context.Argument<int?>("first") ?? 50;
        if (first is < 1 or > 200)
        {
            throw new OperationException(PartnerErrors.InvalidInput, "Ask for 1 to 200 events.", "first");
        }

        var ofPartner = Condition.Eq("partner", partner.Id);
        var today = PartnerSettings.Today(DateTime.UtcNow);
        static string? Status(CrmRecord r) => r.GetValue<string>("status");
        var sources = new (string Entity, string Kind, Condition Where, Func<CrmRecord, string> Title, Func<CrmRecord, string?> Status, string? At)[]
        {
            (AgreementEntities.Agreement, "AGREEMENT", ofPartner, r => $"{r.GetValue<string>("number")} {r.GetValue<string>("name")}", Status, null),
            (PartnerEntities.Certification, "CERTIFICATION", ofPartner, r => r.GetValue<string>("name")!, r => r.GetValue<DateOnly?>("expiresOn") < today ? "expired" : "valid", null),
            (RegistrationEntities.Registration, "REGISTRATION", ofPartner, r => $"{r.GetValue<string>("number")} {r.GetValue<string>("customerName")}", Status, "submittedAt"),
            ("opportunity", "OPPORTUNITY", ofPartner, r => r.GetValue<string>("name")!, Status, null),
            ("order", "ORDER", Condition.Through("opportunity", ofPartner), r => r.GetValue<string>("number")!, Status, null),
            (FundEntities.Request, "MDF_REQUEST", Condition.Through("budget", ofPartner), r => $"{r.GetValue<string>("number")} {r.GetValue<string>("activity")}", Status, null),
            (IncentiveEntities.Claim, "MDF_CLAIM", ofPartner, r => r.GetValue<string>("number")!, r => r.GetValue<DateTime?>("paidAt") is null ? Status(r) : "paid", null),
            (IncentiveEntities.Payout, "PAYOUT", ofPartner, r => string.Create(CultureInfo.InvariantCulture, $"{r.GetValue<string>("number")} {PartnerMoney.AmountOf(r, "total"):0.00} CNY"), _ => null, null),
            ("activity", "ACTIVITY", Condition.Any(Condition.Through("opportunity", ofPartner), Condition.Through("account", ofPartner)), r => $"{r.GetValue<string>("type")}: {r.GetValue<string>("subject")}", Status, "occurredAt"),
        };
        var events = new List<Dictionary<string, object?>>();
        foreach (var source in sources)
        {
            var page = await context.Records.QueryAsync(source.Entity, new RecordQuery { Where = source.Where, OrderBy = [SortBy.Desc("createdAt")], First = first }, cancellationToken);
            events.AddRange(page.Records.Select(r => new Dictionary<string, object?>
            {
                ["at"] = (source.At is null ? null : r.GetValue<DateTime?>(source.At)) ?? r.CreatedAt,
                ["kind"] = source.Kind,
                ["title"] = source.Title(r),
                ["status"] = source.Status(r),
                ["recordId"] = RecordIds.GlobalId(r.Entity, r.Id),
            }));
        }

        return events.OrderByDescending(e => (DateTime)e["at"]!).Take(first).ToList();
    }
}
