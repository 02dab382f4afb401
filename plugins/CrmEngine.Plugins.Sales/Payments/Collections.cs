using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;

namespace CrmEngine.Plugins.Sales.Payments;

/// <summary>
/// Keeps an order's received and outstanding amounts, and its instalments', equal to what its live
/// payments add up to. Payments fill instalments in due-date order (the earliest first), the way
/// finance teams apply money received.
/// </summary>
internal static class Collections
{
    public static async Task ApplyAsync(IRecordApi records, CrmRecord order, decimal received, string currency, CancellationToken cancellationToken)
    {
        var total = MoneyMath.AmountOf(order, "total");
        await Writes.RequireAsync(records.UpdateAsync(OrderEntities.Order, order.Id, new FieldValues
        {
            ["receivedAmount"] = new Money(received, currency),
            ["outstandingAmount"] = new Money(total - received, currency),
            ["paymentStatus"] = received <= 0 ? "unpaid" : received >= total ? "paid" : "partial",
        }, cancellationToken: cancellationToken));

        var plans = await records.QueryAsync(PaymentEntities.Plan, new RecordQuery { Where = Condition.Eq("order", order.Id), OrderBy = [SortBy.Asc("dueDate"), SortBy.Asc("instalment")], First = 500 }, cancellationToken);
        var left = received;
        foreach (var plan in plans.Records)
        {
            var amount = MoneyMath.AmountOf(plan, "amount");
            var applied = Math.Clamp(left, 0m, amount);
            left -= applied;
            if (MoneyMath.AmountOf(plan, "receivedAmount") != applied || plan.GetValue("outstandingAmount") is null)
            {
                await Writes.RequireAsync(records.UpdateAsync(PaymentEntities.Plan, plan.Id, PlanFigures(amount, applied, currency), cancellationToken: cancellationToken));
            }
        }
    }

    public static FieldValues PlanFigures(decimal amount, decimal received, string currency) => new()
    {
        ["receivedAmount"] = new Money(received, currency),
        ["outstandingAmount"] = new Money(amount - received, currency),
        ["status"] = received <= 0 ? "pending" : received >= amount ? "paid" : "partial",
    };

    public static async Task<decimal> ReceivedAsync(IRecordApi records, Guid order, Guid? except, CancellationToken cancellationToken)
    {
        var where = Condition.Eq("order", order);
        if (except is { } id)
        {
            where = where.And(Condition.Ne("id", id));
        }

        var sum = await records.AggregateAsync(PaymentEntities.Payment, new AggregateRequest { Where = where, Values = [Aggregate.Sum("amount")] }, cancellationToken);
        return sum.Totals.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m;
    }
}
