using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Campaigns;

/// <summary>Keeps a campaign's actual cost the exact sum of its cost lines, in the write's transaction.</summary>
internal sealed class CostHooks : IBeforeRecordHook
{
    public string Entity => CampaignCostEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Update && record.IsChanging("campaign"))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "A cost line stays on its campaign; delete it and add one to the other campaign.", "campaign");
        }

        if (record.GetValue("campaign") is not Guid campaign)
        {
            return;
        }

        var records = record.PrivilegedRecords;
        var others = await records.AggregateAsync(CampaignCostEntity.Name, new AggregateRequest
        {
            Where = Condition.Eq("campaign", campaign).And(Condition.Ne("id", record.RecordId)),
            Values = [Aggregate.Sum("amount")],
        }, cancellationToken);
        var total = (others.Totals.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m)
            + (record.Operation == RecordOperations.Delete ? 0m : Amounts.Of(record.GetValue("amount")));
        if (await records.GetAsync(CampaignEntity.Name, campaign, cancellationToken) is not null)
        {
            await Writes.RequireAsync(records.UpdateAsync(CampaignEntity.Name, campaign, new FieldValues { ["actualCost"] = Amounts.Money(total) }, cancellationToken: cancellationToken), "campaign");
        }
    }
}
