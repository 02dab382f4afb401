using CrmEngine.Plugins.Sales.Orders;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>
/// Account churn risk (客户流失风险): will a customer place no order in the next
/// <see cref="HorizonDays"/> days? Examples are read as of the observation day, <see cref="HorizonDays"/>
/// before the scoring day: every account that had ordered by then is an example, churned (positive)
/// when it placed no order after it, up to the scoring day. Scored: every account that has ordered,
/// with its features as of the scoring day. Features from the orders up to the day (cancelled ones
/// don't count): days since the last order, orders and amount in the last 365 days, the trend (orders
/// in the last 180 days less those in the 180 before) and the days since the first order.
/// </summary>
internal static class ChurnFeatures
{
    public const int HorizonDays = 180;

    public static readonly string[] Names = ["daysSinceLastOrder", "ordersLast365", "amountLast365", "orderTrend", "daysAsCustomer"];

    public static async Task<FeatureTable> ReadAsync(IRecordApi records, DateOnly asOf, CancellationToken cancellationToken)
    {
        var orders = new Dictionary<Guid, List<(DateOnly Day, decimal Amount)>>();
        var window = Condition.All(Condition.Ne("status", "cancelled"), Condition.Lte("orderDate", asOf));
        await foreach (var order in records.QueryAllAsync(OrderEntities.Order, window, cancellationToken: cancellationToken))
        {
            if (order.GetValue("account") is Guid account && order.GetValue("orderDate") is DateOnly day)
            {
                (orders.TryGetValue(account, out var list) ? list : orders[account] = []).Add((day, Common.MoneyMath.AmountOf(order, "total")));
            }
        }

        var observed = asOf.AddDays(-HorizonDays);
        var examples = new List<FeatureRow>();
        var toScore = new List<FeatureRow>();
        foreach (var (account, history) in orders.OrderBy(o => o.Key))
        {
            if (history.Any(o => o.Day <= observed))
            {
                examples.Add(new FeatureRow(account, Features(history, observed), !history.Any(o => o.Day > observed)));
            }

            toScore.Add(new FeatureRow(account, Features(history, asOf), null));
        }

        return new FeatureTable(Names, examples, toScore);
    }

    /// <summary>The features of one account's orders as of <paramref name="day"/> (it ordered on or before it).</summary>
    public static float[] Features(IReadOnlyList<(DateOnly Day, decimal Amount)> history, DateOnly day)
    {
        var past = history.Where(o => o.Day <= day).ToList();
        int DaysBefore(DateOnly d) => day.DayNumber - d.DayNumber;
        var lastYear = past.Where(o => DaysBefore(o.Day) < 365).ToList();
        var recent = past.Count(o => DaysBefore(o.Day) < 180);
        var before = past.Count(o => DaysBefore(o.Day) is >= 180 and < 360);
        return
        [
            DaysBefore(past.Max(o => o.Day)),
            lastYear.Count,
            (float)lastYear.Sum(o => o.Amount),
            recent - before,
            DaysBefore(past.Min(o => o.Day)),
        ];
    }
}
