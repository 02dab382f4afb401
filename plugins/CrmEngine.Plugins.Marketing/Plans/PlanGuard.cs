using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Plans;

/// <summary>
/// A plan's allocated budget is the sum of its campaigns' budgets, kept by the campaign hooks; its
/// budget can't fall below what is allocated, and its dates run forward.
/// </summary>
internal sealed class PlanGuard : IRecordValidator
{
    public string Entity => MarketingPlanEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && record.IsChanging("allocatedBudget"))
        {
            throw new OperationException(MarketingErrors.ComputedField, "'allocatedBudget' is the sum of the plan's campaigns' budgets.", "allocatedBudget");
        }

        Dates.RequireOrdered(record);
        var budget = Amounts.Of(record.GetValue("budget"));
        var allocated = Amounts.Of(record.GetValue("allocatedBudget"));
        if (record.IsChanging("budget") && budget < allocated)
        {
            throw new OperationException(MarketingErrors.BudgetExceeded, $"The plan's campaigns hold {allocated:0.00} of its budget; it can't be cut to {budget:0.00}.", "budget");
        }

        return Task.CompletedTask;
    }
}
