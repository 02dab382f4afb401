using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Intelligence;

/// <summary>A competitor is in a deal once, and a link stays between the deal and the competitor it was made for.</summary>
internal sealed class OpportunityCompetitorGuard : IBeforeRecordHook
{
    public string Entity => OpportunityCompetitorEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Update && (record.IsChanging("opportunity") || record.IsChanging("competitor")))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "A competitor link is fixed to its deal and competitor; remove it and add another.", record.IsChanging("opportunity") ? "opportunity" : "competitor");
        }

        if (record.Operation == RecordOperations.Create && record.GetValue("opportunity") is Guid opportunity && record.GetValue("competitor") is Guid competitor
            && (await record.PrivilegedRecords.FindAsync(OpportunityCompetitorEntity.Name, Condition.Eq("opportunity", opportunity).And(Condition.Eq("competitor", competitor)), 1, cancellationToken)).Count > 0)
        {
            throw new OperationException(MarketingErrors.AlreadyLinked, "This competitor is in the opportunity already.", "competitor");
        }
    }
}
