using System.Globalization;
using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>
/// <c>calculatePartnerRebate(partnerId, period)</c>: a partner's rebate (返利) for a period, from the
/// agreement approved for the period's last day. Its revenue is what was collected in the period on
/// deals it sourced; each tier earns its rate on the part of that revenue between its threshold and
/// the next tier's (marginal, like tax brackets), each part rounded to cents. One rebate per partner
/// and period (a unique key): calculating again updates a pending rebate, and a paid one is final.
/// </summary>
internal sealed class CalculatePartnerRebate : IPluginOperation
{
    public string Name => "calculatePartnerRebate";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Calculates (or recalculates, while unpaid) a partner's rebate for a period from its agreement's rebate tiers and the revenue collected on deals it sourced.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("partnerId", TypeRef.Id.NonNull()), new("period", TypeRef.String.NonNull(), "2027, 2027-H1, 2027-Q3 or 2027-05.")];

    public TypeRef Result => TypeRef.Entity(IncentiveEntities.Rebate);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        ChannelManagers.Require(context);
        var partner = await Writes.ExistingAsync(context, PartnerEntities.Partner, "partnerId", cancellationToken);
        var period = Period.Parse(context.Argument<string>("period"), "period");
        var records = context.PrivilegedRecords;
        var agreement = await CommissionAccrual.AgreementOnAsync(records, partner.Id, period.Last, cancellationToken)
            ?? throw new OperationException(PartnerErrors.NoAgreement, $"Partner '{partner.GetValue<string>("name")}' has no approved agreement on {period.Last:yyyy-MM-dd}.", "partnerId");
        var tiers = (await records.FindAsync(IncentiveEntities.RebateTier, Condition.Eq("agreement", agreement.Id), 100, cancellationToken))
            .Select(t => (Threshold: PartnerMoney.AmountOf(t, "threshold"), Rate: t.GetValue<decimal>("rate"))).OrderBy(t => t.Threshold).ToList();
        var revenue = await SourcedRevenue.CollectedAsync(records, partner.Id, period, cancellationToken);

        var amount = 0m;
        var lines = new List<string>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var ceiling = i + 1 < tiers.Count ? tiers[i + 1].Threshold : decimal.MaxValue;
            var slice = Math.Max(0m, Math.Min(revenue, ceiling) - tiers[i].Threshold);
            var earned = PartnerMoney.Percent(slice, tiers[i].Rate);
            amount += earned;
            if (slice > 0m)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{slice:0.00} × {tiers[i].Rate:0.##}% = {earned:0.00}"));
            }
        }

        var values = new FieldValues
        {
            ["partner"] = partner.Id,
            ["agreement"] = agreement.Id,
            ["period"] = period.Name,
            ["key"] = $"{partner.Id:N}:{period.Name}",
            ["revenue"] = PartnerMoney.Cny(revenue),
            ["amount"] = PartnerMoney.Cny(amount),
            ["breakdown"] = lines.Count == 0 ? $"{revenue.ToString("0.00", CultureInfo.InvariantCulture)} below every tier" : string.Join("; ", lines),
        };
        var existing = await records.FindAsync(IncentiveEntities.Rebate, Condition.Eq("key", values["key"]), 1, cancellationToken);
        if (existing.Count == 0)
        {
            return await Writes.RequireAsync(records.CreateAsync(IncentiveEntities.Rebate, values, cancellationToken), "period");
        }

        if (existing[0].GetValue<string>("status") == "paid")
        {
            throw new OperationException(PartnerErrors.InvalidState, $"The {period.Name} rebate of '{partner.GetValue<string>("name")}' is paid; it is final.", "period");
        }

        return await Writes.RequireAsync(records.UpdateAsync(IncentiveEntities.Rebate, existing[0].Id, values, existing[0].Version, cancellationToken), "period");
    }
}

/// <summary>Revenue a partner sourced: payments collected on orders of opportunities it sourced.</summary>
internal static class SourcedRevenue
{
    public static Condition OfPartner(Guid partner, string role = "sourced") =>
        Condition.Through("order", Condition.Through("opportunity", Condition.All(Condition.Eq("partner", partner), Condition.Eq("partnerRole", role))));

    /// <summary>What was collected in the period on deals the partner had <paramref name="role"/> in.</summary>
    public static async Task<decimal> CollectedAsync(IRecordApi records, Guid partner, Period period, CancellationToken cancellationToken, string role = "sourced")
    {
        var where = Condition.All(OfPartner(partner, role), Condition.Gte("receivedOn", period.First), Condition.Lte("receivedOn", period.Last));
        return (await RecordReads.AllAsync(records, "payment", where, cancellationToken)).Sum(p => PartnerMoney.AmountOf(p, "amount"));
    }
}
