using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>
/// <c>payPartner(partnerId, paidOn, reference)</c>: one payout (付款单) settling everything the partner
/// is owed: its pending commissions and rebates and its approved, unpaid MDF claims, each marked paid
/// under its version. Two payouts racing for the same items can't both pay them: the loser's write
/// fails on a version and its whole payout rolls back.
/// </summary>
internal sealed class PayPartner : IPluginOperation
{
    public string Name => "payPartner";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Pays a partner what it is owed (pending commissions and rebates, approved MDF claims) in one payout.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
        [new("partnerId", TypeRef.Id.NonNull()), new("paidOn", TypeRef.Date, "Today (China time) when left out."), new("reference", TypeRef.String, "The bank transfer's reference.")];

    public TypeRef Result => TypeRef.Entity(IncentiveEntities.Payout);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        ChannelManagers.Require(context);
        var partner = await Writes.ExistingAsync(context, PartnerEntities.Partner, "partnerId", cancellationToken);
        var paidOn = Args.Date(context.Arguments, "paidOn") ?? PartnerSettings.Today(DateTime.UtcNow);
        var records = context.PrivilegedRecords;
        var ofPartner = Condition.Eq("partner", partner.Id);
        var commissions = await RecordReads.AllAsync(records, IncentiveEntities.Commission, ofPartner.And(Condition.Eq("status", "pending")), cancellationToken);
        var rebates = await RecordReads.AllAsync(records, IncentiveEntities.Rebate, ofPartner.And(Condition.Eq("status", "pending")), cancellationToken);
        var claims = await RecordReads.AllAsync(records, IncentiveEntities.Claim, ofPartner.And(Condition.Eq("status", "approved")).And(Condition.IsNull("payout")), cancellationToken);
        if (commissions.Count + rebates.Count + claims.Count == 0)
        {
            throw new OperationException(PartnerErrors.NothingToPay, $"Partner '{partner.GetValue<string>("name")}' is owed nothing.", "partnerId");
        }

        static decimal Sum(IEnumerable<CrmRecord> items) => items.Sum(i => PartnerMoney.AmountOf(i, "amount"));
        var (commissionTotal, rebateTotal, fundTotal) = (Sum(commissions), Sum(rebates), Sum(claims));
        var payout = await Writes.RequireAsync(records.CreateAsync(IncentiveEntities.Payout, new FieldValues
        {
            ["partner"] = partner.Id,
            ["paidOn"] = paidOn,
            ["reference"] = Args.Text(context.Arguments, "reference"),
            ["commissionTotal"] = PartnerMoney.Cny(commissionTotal),
            ["rebateTotal"] = PartnerMoney.Cny(rebateTotal),
            ["fundTotal"] = PartnerMoney.Cny(fundTotal),
            ["total"] = PartnerMoney.Cny(commissionTotal + rebateTotal + fundTotal),
        }, cancellationToken), "partnerId");
        var now = DateTime.UtcNow;
        foreach (var (entity, items) in new[] { (IncentiveEntities.Commission, commissions), (IncentiveEntities.Rebate, rebates), (IncentiveEntities.Claim, claims) })
        {
            foreach (var item in items)
            {
                var paid = new FieldValues { ["payout"] = payout.Id, ["paidAt"] = now };
                if (entity != IncentiveEntities.Claim)
                {
                    paid["status"] = "paid";
                }

                await Writes.RequireAsync(records.UpdateAsync(entity, item.Id, paid, item.Version, cancellationToken), "partnerId");
            }
        }

        return await records.GetAsync(IncentiveEntities.Payout, payout.Id, cancellationToken);
    }
}
