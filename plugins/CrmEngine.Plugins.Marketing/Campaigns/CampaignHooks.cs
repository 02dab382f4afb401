using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Email;
using CrmEngine.Plugins.Marketing.Plans;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Campaigns;

/// <summary>
/// Keeps a campaign sound on every write, whoever makes it: the status follows the lifecycle, the
/// dates run forward, the parent chain has no loop, the actual cost is the cost lines' (not the
/// client's), and the budgets of a plan's campaigns stay within the plan's budget, whose allocated
/// figure is updated in the same transaction.
/// </summary>
internal sealed class CampaignHooks : IBeforeRecordHook
{
    public string Entity => CampaignEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var deleting = record.Operation == RecordOperations.Delete;
        if (!deleting)
        {
            CheckWrite(record);
            await CheckParentAsync(record, cancellationToken);
        }

        await AllocateAsync(record, deleting, cancellationToken);
    }

    private static void CheckWrite(IRecordContext record)
    {
        if (record.IsDirect && record.IsChanging("actualCost"))
        {
            throw new OperationException(MarketingErrors.ComputedField, "'actualCost' is the sum of the campaign's cost lines.", "actualCost");
        }

        var status = record.GetValue("status") as string ?? "planned";
        if (record.Operation == RecordOperations.Create && record.IsDirect && status != "planned")
        {
            throw new OperationException(MarketingErrors.InvalidTransition, $"A new campaign starts planned, not {status}.", "status");
        }

        if (record.Operation == RecordOperations.Update && record.IsChanging("status") && record.GetPreviousValue("status") is string from && !CampaignStatuses.CanMove(from, status))
        {
            throw new OperationException(MarketingErrors.InvalidTransition, $"A {from} campaign can move to {CampaignStatuses.Allowed(from)}; not to {status}.", "status");
        }

        Dates.RequireOrdered(record);
        foreach (var field in MergeFields.Texts.Where(record.IsChanging))
        {
            MergeFields.Check(field, record.GetValue(field) as string);
        }
    }

    private static async Task CheckParentAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsChanging("parent") || record.GetValue("parent") is not Guid parent)
        {
            return;
        }

        var seen = new HashSet<Guid>();
        for (Guid? current = parent; current is { } id && seen.Add(id);)
        {
            if (id == record.RecordId)
            {
                throw new OperationException(MarketingErrors.CampaignCycle, "The parent campaign is this campaign or one of its sub-campaigns.", "parent");
            }

            current = (await record.PrivilegedRecords.GetAsync(CampaignEntity.Name, id, cancellationToken))?.GetValue<Guid?>("parent");
        }
    }

    /// <summary>Re-sums the allocated budget of the plan the campaign leaves and of the one it is in, refusing to overspend the latter.</summary>
    private static async Task AllocateAsync(IRecordContext record, bool deleting, CancellationToken cancellationToken)
    {
        if (!(deleting || record.Operation == RecordOperations.Create || record.IsChanging("plan") || record.IsChanging("budget")))
        {
            return;
        }

        var previous = record.Operation == RecordOperations.Create ? null : record.GetPreviousValue("plan") as Guid?;
        var current = deleting ? null : record.GetValue("plan") as Guid?;
        foreach (var planId in new[] { previous, current }.OfType<Guid>().Distinct())
        {
            var records = record.PrivilegedRecords;
            if (await records.GetAsync(MarketingPlanEntity.Name, planId, cancellationToken) is not { } plan)
            {
                continue;
            }

            var others = await records.AggregateAsync(CampaignEntity.Name, new AggregateRequest
            {
                Where = Condition.Eq("plan", planId).And(Condition.Ne("id", record.RecordId)),
                Values = [Aggregate.Sum("budget")],
            }, cancellationToken);
            var allocated = (others.Totals.Value<decimal?>(Aggregate.Sum("budget")) ?? 0m) + (planId == current ? Amounts.Of(record.GetValue("budget")) : 0m);
            var budget = Amounts.Of(plan, "budget");
            if (planId == current && allocated > budget)
            {
                throw new OperationException(MarketingErrors.BudgetExceeded, $"Plan '{plan.GetValue<string>("name")}' has {budget:0.00}; its campaigns would take {allocated:0.00}.", "budget");
            }

            await Writes.RequireAsync(records.UpdateAsync(MarketingPlanEntity.Name, planId, new FieldValues { ["allocatedBudget"] = Amounts.Money(allocated) }, cancellationToken: cancellationToken), "plan");
        }
    }
}
