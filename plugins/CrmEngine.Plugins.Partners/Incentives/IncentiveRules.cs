using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>
/// Commissions, rebates and payouts are figures the module computes and pays: clients read them and
/// may annotate a commission or rebate, but never create one, change its figures or status, or delete
/// what is paid (nor any payout).
/// </summary>
internal abstract class ComputedIncentiveRules(string entity, params string[] kept) : IRecordValidator
{
    public string Entity => entity;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsDirect)
        {
            return Task.CompletedTask;
        }

        switch (record.Operation)
        {
            case RecordOperations.Create:
                throw new OperationException(PartnerErrors.InvalidState, $"A {entity} is made by the partners module (accruePartnerCommissions, calculatePartnerRebate, payPartner).");
            case RecordOperations.Update when kept.FirstOrDefault(record.IsChanging) is { } field:
                throw new OperationException(PartnerErrors.ComputedField, $"'{field}' is kept by the partners module.", field);
            case RecordOperations.Delete when entity is IncentiveEntities.Payout or Performance.PerformanceEntities.TierChange || record.GetPreviousValue("status") is "paid":
                throw new OperationException(PartnerErrors.InvalidState, $"A paid {entity}, a payout or a tier review can't be deleted.");
            default:
                return Task.CompletedTask;
        }
    }
}

internal sealed class CommissionRules() : ComputedIncentiveRules(IncentiveEntities.Commission, "partner", "payment", "order", "opportunity", "agreement", "receivedOn", "baseAmount", "rate", "amount", "status", "payout", "paidAt");

internal sealed class RebateRules() : ComputedIncentiveRules(IncentiveEntities.Rebate, "partner", "agreement", "period", "key", "revenue", "amount", "breakdown", "status", "payout", "paidAt");

internal sealed class PayoutRules() : ComputedIncentiveRules(IncentiveEntities.Payout, "partner", "paidOn", "commissionTotal", "rebateTotal", "fundTotal", "total");
