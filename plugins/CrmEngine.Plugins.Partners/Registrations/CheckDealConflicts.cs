using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>
/// <c>checkDealConflicts(partnerId, customerName, email, phone)</c>: what a registration of this customer
/// would collide with, found as <c>submitDealRegistration</c> finds it, without writing anything: a
/// portal's registration form asks it while the partner types. Each match says its kind and reasons;
/// its name and id only when the caller may read that record, so partner staff learn that a claim
/// collides, and with what kind of record, but never whose company it is (as with a stored
/// <c>dealConflict</c>, whose name the portal role hides).
/// </summary>
internal sealed class CheckDealConflicts : IPluginOperation
{
    private static readonly TypeRef Match = TypeRef.Object("DealConflictMatch",
        new FieldRef("kind", TypeRef.String.NonNull(), "account, lead, opportunity or registration (another partner's), as on dealConflict."),
        new FieldRef("reasons", TypeRef.ListOf(TypeRef.String.NonNull()).NonNull(), "companyName, emailDomain, phone."),
        new FieldRef("matchedName", TypeRef.String, "The matched record's name; null when the caller may not read the record."),
        new FieldRef("recordId", TypeRef.Id, "The matched record, for node(id:); null when the caller may not read it."));

    public string Name => "checkDealConflicts";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "What a deal registration of this customer would collide with (accounts, contacts' customers, open leads and opportunities, other partners' registrations), without submitting it.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("partnerId", TypeRef.Id.NonNull(), "The partner that would register the deal (its own registrations are no conflict)."),
        new("customerName", TypeRef.String, "The customer company, as the partner writes it."),
        new("email", TypeRef.String, "The customer contact's e-mail (its domain is matched unless it is a public mail service)."),
        new("phone", TypeRef.String),
    ];

    public TypeRef Result => TypeRef.ListOf(Match.NonNull()).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var partner = await SubmitDealRegistration.ActivePartnerAsync(context, cancellationToken);
        var (name, email, phone) = (context.Argument<string>("customerName"), context.Argument<string>("email"), context.Argument<string>("phone"));
        if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(phone))
        {
            throw new OperationException(PartnerErrors.InvalidInput, "Give the customer's name, e-mail or phone to check.", "customerName");
        }

        var matches = new List<Dictionary<string, object?>>();
        foreach (var conflict in await ConflictDetector.FindAsync(context.PrivilegedRecords, CustomerKeys.Of(name, email, phone), partner.Id, cancellationToken))
        {
            var readable = await context.Records.GetAsync(conflict.Record.Entity, conflict.Record.Id, cancellationToken) is not null;
            matches.Add(new()
            {
                ["kind"] = conflict.Kind,
                ["reasons"] = conflict.Reasons,
                ["matchedName"] = readable ? conflict.Name : null,
                ["recordId"] = readable ? RecordIds.GlobalId(conflict.Record.Entity, conflict.Record.Id) : null,
            });
        }

        return matches;
    }
}
