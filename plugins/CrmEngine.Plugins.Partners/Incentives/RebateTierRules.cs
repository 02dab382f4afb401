using CrmEngine.Plugins.Partners.Agreements;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>An agreement's rebate tiers are fixed with its terms, and two tiers never share a threshold.</summary>
internal sealed class RebateTierRules : IRecordValidator
{
    public string Entity => IncentiveEntities.RebateTier;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (await AgreementTerms.OpenAgreementAsync(record, "rebate tiers", cancellationToken) is not { } agreement || record.Operation == RecordOperations.Delete)
        {
            return;
        }

        var threshold = (record.GetValue("threshold") as Money)?.Amount;
        var tiers = await record.PrivilegedRecords.FindAsync(IncentiveEntities.RebateTier, Condition.All(Condition.Eq("agreement", agreement.Id), Condition.Ne("id", record.RecordId)), 100, cancellationToken);
        if (tiers.Any(t => (t.GetValue<Money>("threshold"))?.Amount == threshold))
        {
            throw new OperationException(Common.PartnerErrors.InvalidInput, $"Agreement {agreement.GetValue<string>("number")} already has a tier from {threshold:0.00}.", "threshold");
        }
    }
}
