using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Payments;

/// <summary>
/// <c>setPaymentPlan(orderId, instalments)</c>: splits an order's total into instalments, each
/// an amount or a percentage (percentages are split to the cent so the plan adds up exactly). The
/// instalments must add up to the order's total. A plan with money already applied to it stays.
/// </summary>
internal sealed class SetPaymentPlan : IPluginOperation
{
    public string Name => "setPaymentPlan";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Sets an order's payment plan (回款计划): instalments that add up to the order's total.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("orderId", TypeRef.Id.NonNull()),
        new("instalments", TypeRef.ListOf(TypeRef.Input("InstalmentInput",
            new FieldRef("dueDate", TypeRef.Date.NonNull()),
            new FieldRef("amount", TypeRef.Decimal, "An amount; or give percent."),
            new FieldRef("percent", TypeRef.Decimal, "A percentage of the order's total."),
            new FieldRef("note", TypeRef.String))).NonNull()),
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Entity(PaymentEntities.Plan)).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var order = await Writes.ExistingAsync(records, OrderEntities.Order, context.RecordId("orderId", OrderEntities.Order), "orderId", cancellationToken);
        var total = MoneyMath.AmountOf(order, "total");
        var inputs = (context.Arguments.GetValueOrDefault("instalments") as IEnumerable<object?> ?? []).Select(i => i as IReadOnlyDictionary<string, object?> ?? ((IDictionary<string, object?>)i!).ToDictionary(p => p.Key, p => p.Value)).ToList();
        if (inputs.Count == 0)
        {
            throw new OperationException(SalesErrors.InvalidInput, "A payment plan has at least one instalment.", "instalments");
        }

        var amounts = Amounts(inputs, total);
        if (amounts.Sum() != total)
        {
            throw new OperationException(SalesErrors.AmountMismatch, $"The instalments add up to {amounts.Sum():0.00}, but order {order.GetValue<string>("number")} totals {total:0.00}.", "instalments");
        }

        var existing = await records.FindAsync(PaymentEntities.Plan, Condition.Eq("order", order.Id), 500, cancellationToken);
        if (existing.Any(p => MoneyMath.AmountOf(p, "receivedAmount") > 0))
        {
            throw new OperationException(SalesErrors.InvalidState, "Payments have already been applied to this order's plan; change its instalments one by one instead.", "orderId");
        }

        foreach (var old in existing)
        {
            await Writes.RequireAsync(records.DeleteAsync(PaymentEntities.Plan, old.Id, cancellationToken: cancellationToken));
        }

        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var plans = new List<CrmRecord>();
        for (var i = 0; i < inputs.Count; i++)
        {
            plans.Add(await Writes.RequireAsync(records.CreateAsync(PaymentEntities.Plan, new FieldValues
            {
                ["order"] = order.Id,
                ["instalment"] = i + 1,
                ["dueDate"] = Args.Date(inputs[i], "dueDate"),
                ["amount"] = new Money(amounts[i], settings.Currency),
                ["note"] = Args.Text(inputs[i], "note"),
            }, cancellationToken), "instalments"));
        }

        // Money already received against the order fills the new instalments.
        await Collections.ApplyAsync(context.PrivilegedRecords, order, await Collections.ReceivedAsync(records, order.Id, null, cancellationToken), settings.Currency, cancellationToken);
        return (await records.QueryAsync(PaymentEntities.Plan, new RecordQuery { Where = Condition.Eq("order", order.Id), OrderBy = [SortBy.Asc("instalment")], First = 500 }, cancellationToken)).Records;
    }

    private static List<decimal> Amounts(List<IReadOnlyDictionary<string, object?>> inputs, decimal total)
    {
        var fixedAmounts = inputs.Select(i => Args.Decimal(i, "amount")).ToList();
        var percents = inputs.Select(i => Args.Decimal(i, "percent")).ToList();
        for (var i = 0; i < inputs.Count; i++)
        {
            if ((fixedAmounts[i] is null) == (percents[i] is null))
            {
                throw new OperationException(SalesErrors.InvalidInput, $"Instalment {i + 1} needs either an amount or a percent.", "instalments");
            }

            if (fixedAmounts[i] is <= 0 || percents[i] is <= 0 or > 100)
            {
                throw new OperationException(SalesErrors.InvalidInput, $"Instalment {i + 1} must be more than zero (and a percent at most 100).", "instalments");
            }
        }

        // Percentages share what the fixed amounts leave, split to the cent without losing any.
        var byPercent = Enumerable.Range(0, inputs.Count).Where(i => percents[i] is not null).ToList();
        var percentTotal = MoneyMath.Round(total * byPercent.Sum(i => percents[i]!.Value) / 100m);
        var shares = MoneyMath.Allocate(percentTotal, byPercent.Select(i => percents[i]!.Value).ToList());
        var amounts = fixedAmounts.Select(a => MoneyMath.Round(a ?? 0m)).ToList();
        for (var k = 0; k < byPercent.Count; k++)
        {
            amounts[byPercent[k]] = shares[k];
        }

        return amounts;
    }
}
