using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Funds;

/// <summary>
/// A budget is one per partner and period; what approved requests committed is kept by the module,
/// and the budget can't be cut below it. <c>remaining</c> is always amount minus committed.
/// </summary>
internal sealed class BudgetRules : IBeforeRecordHook
{
    public string Entity => FundEntities.Budget;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && FundEntities.Kept.FirstOrDefault(record.IsChanging) is { } kept && !(record.Operation == RecordOperations.Create && kept != "remaining" && record.GetValue(kept) is Money { Amount: 0 }))
        {
            throw new OperationException(PartnerErrors.ComputedField, $"'{kept}' is kept by the partners module from approved requests.", kept);
        }

        var amount = (record.GetValue("amount") as Money)?.Amount ?? 0m;
        var committed = (record.GetValue("committed") as Money)?.Amount ?? 0m;
        if (amount < committed)
        {
            throw new OperationException(PartnerErrors.OverBudget, $"Approved requests already commit {committed:0.00}; the budget can't be less.", "amount");
        }

        if ((record.GetValue("claimed") as Money)?.Amount > committed)
        {
            throw new OperationException(PartnerErrors.OverBudget, $"Claims can't take more than the {committed:0.00} approved requests commit.", "claimed");
        }

        await OnePerPeriod.RequireAsync(record, "budget", cancellationToken);

        foreach (var (field, value) in (ReadOnlySpan<(string, decimal)>)[("committed", committed), ("remaining", amount - committed)])
        {
            if (record.GetValue(field) is not Money { } money || money.Amount != value)
            {
                record.SetValue(field, new Money(value, "CNY"));
            }
        }
    }
}

/// <summary>
/// Approving a request commits its amount on the budget in the approval's own transaction, with the
/// budget's version checked: two approvals racing for the last of a budget can't both read the same
/// remainder and both commit (the loser's write fails on the version and the approval with it, on
/// SQLite and PostgreSQL alike), so a budget never goes below zero.
/// </summary>
internal sealed class RequestApproval : IBeforeRecordHook
{
    public string Entity => FundEntities.Request;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        ApprovalStatus.RefuseDirectWrite(record, "A request's");
        if (record.IsDirect && record.IsChanging("claimed") && !(record.Operation == RecordOperations.Create && record.GetValue("claimed") is Money { Amount: 0 }))
        {
            throw new OperationException(PartnerErrors.ComputedField, "'claimed' is kept by the partners module from approved claims.", "claimed");
        }

        if (!record.IsChanging("status") || record.GetValue("status") as string != "approved")
        {
            return;
        }

        var budget = await record.PrivilegedRecords.GetAsync(FundEntities.Budget, (Guid)record.GetValue("budget")!, cancellationToken);
        var amount = ((Money)record.GetValue("amount")!).Amount;
        var committed = budget!.GetValue<Money>("committed")?.Amount ?? 0m;
        var total = budget.GetValue<Money>("amount")!.Amount;
        if (committed + amount > total)
        {
            throw new OperationException(PartnerErrors.OverBudget, $"The {budget.GetValue<string>("period")} budget has {total - committed:0.00} left; the request asks for {amount:0.00}.", "amount");
        }

        await Writes.RequireAsync(record.PrivilegedRecords.UpdateAsync(FundEntities.Budget, budget.Id, new FieldValues { ["committed"] = new Money(committed + amount, "CNY") }, budget.Version, cancellationToken), "budget");
    }
}
