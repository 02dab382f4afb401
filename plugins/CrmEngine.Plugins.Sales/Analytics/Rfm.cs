using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// RFM customer value (RFM 客户价值分析) over the orders of the last 365 days before a day: recency
/// (days since the latest order), frequency (orders) and monetary value (their totals), each scored
/// 1 to 5 by quintile among the accounts that ordered in the window — an account's score is
/// 1 + ⌊5 × (accounts strictly worse) / (accounts scored)⌋, so ties share a score and five distinct
/// values score 1 to 5. Each dimension is "high" at 3 or more, and the three highs or lows name the
/// account's segment in the classic eight-way model (重要价值客户 … 一般挽留客户). Cancelled orders don't count.
/// </summary>
internal static class Rfm
{
    public const int WindowDays = 365;

    public static readonly string[] Fields = ["rfmRecency", "rfmFrequency", "rfmMonetary", "rfmScore", "rfmSegment", "rfmScoredOn"];

    /// <summary>The segments by (recency high, frequency high, monetary high).</summary>
    private static readonly Dictionary<(bool R, bool F, bool M), string> Segments = new()
    {
        [(true, true, true)] = "importantValue",
        [(true, false, true)] = "importantDevelop",
        [(false, true, true)] = "importantRetain",
        [(false, false, true)] = "importantWinBack",
        [(true, true, false)] = "generalValue",
        [(true, false, false)] = "generalDevelop",
        [(false, true, false)] = "generalRetain",
        [(false, false, false)] = "generalWinBack",
    };

    /// <summary>The account fields that hold the scores.</summary>
    public static EntityBuilder Declare(EntityBuilder entity) => entity
        .Integer("rfmRecency", f => f.Label("RFM recency score", "RFM 最近购买得分").Range(1, 5))
        .Integer("rfmFrequency", f => f.Label("RFM frequency score", "RFM 购买频次得分").Range(1, 5))
        .Integer("rfmMonetary", f => f.Label("RFM monetary score", "RFM 消费金额得分").Range(1, 5))
        .Text("rfmScore", f => f.Label("RFM score", "RFM 得分").MaxLength(3).Indexed())
        .Picklist("rfmSegment", f => f.Label("RFM segment", "RFM 客户分群")
            .Option("importantValue", "Important value", "重要价值客户").Option("importantDevelop", "Important to develop", "重要发展客户")
            .Option("importantRetain", "Important to keep", "重要保持客户").Option("importantWinBack", "Important to win back", "重要挽留客户")
            .Option("generalValue", "General value", "一般价值客户").Option("generalDevelop", "General to develop", "一般发展客户")
            .Option("generalRetain", "General to keep", "一般保持客户").Option("generalWinBack", "General to win back", "一般挽留客户")
            .Indexed())
        .Date("rfmScoredOn", f => f.Label("RFM scores set on", "RFM 评分更新日期"));

    /// <summary>Scores every account that ordered in the window up to <paramref name="asOf"/> and clears the others' old scores; how many accounts changed each way.</summary>
    public static async Task<(int Scored, int Cleared)> RefreshAsync(IRecordApi records, DateOnly asOf, CancellationToken cancellationToken)
    {
        var from = asOf.AddDays(-WindowDays);
        var facts = new Dictionary<Guid, (DateOnly Last, int Orders, decimal Amount)>();
        var window = Condition.All(Condition.Ne("status", "cancelled"), Condition.Gte("orderDate", from), Condition.Lte("orderDate", asOf));
        await foreach (var order in records.QueryAllAsync(OrderEntities.Order, window, cancellationToken: cancellationToken))
        {
            if (order.GetValue("account") is not Guid account || order.GetValue("orderDate") is not DateOnly day)
            {
                continue;
            }

            var (last, orders, amount) = facts.GetValueOrDefault(account);
            facts[account] = (day > last ? day : last, orders + 1, amount + MoneyMath.AmountOf(order, "total"));
        }

        var recency = Quintiles(facts.ToDictionary(f => f.Key, f => (decimal)-(asOf.DayNumber - f.Value.Last.DayNumber)));
        var frequency = Quintiles(facts.ToDictionary(f => f.Key, f => (decimal)f.Value.Orders));
        var monetary = Quintiles(facts.ToDictionary(f => f.Key, f => f.Value.Amount));

        var (scored, cleared) = (0, 0);
        var current = new Dictionary<Guid, string>();
        await foreach (var account in records.QueryAllAsync(AccountEntity.Name, Condition.IsNotNull("rfmScore"), cancellationToken: cancellationToken))
        {
            current[account.Id] = account.GetValue<string>("rfmScore")!;
        }

        // Only what changed is written: a nightly run over unchanged customers leaves no trace in their history.
        foreach (var account in current.Keys.Where(a => !facts.ContainsKey(a)))
        {
            await records.UpdateAsync(AccountEntity.Name, account, Fields.ToDictionary(f => f, _ => (object?)null), cancellationToken: cancellationToken);
            cleared++;
        }

        foreach (var account in facts.Keys)
        {
            var (r, f, m) = (recency[account], frequency[account], monetary[account]);
            if (current.GetValueOrDefault(account) == $"{r}{f}{m}")
            {
                continue;
            }

            await records.UpdateAsync(AccountEntity.Name, account, new Dictionary<string, object?>
            {
                ["rfmRecency"] = (long)r,
                ["rfmFrequency"] = (long)f,
                ["rfmMonetary"] = (long)m,
                ["rfmScore"] = $"{r}{f}{m}",
                ["rfmSegment"] = Segment(r, f, m),
                ["rfmScoredOn"] = asOf,
            }, cancellationToken: cancellationToken);
            scored++;
        }

        return (scored, cleared);
    }

    public static string Segment(int recency, int frequency, int monetary) => Segments[(recency >= 3, frequency >= 3, monetary >= 3)];

    /// <summary>1 to 5 for each key: 1 + ⌊5 × (values strictly lower) / count⌋; a higher value is better.</summary>
    public static Dictionary<Guid, int> Quintiles(IReadOnlyDictionary<Guid, decimal> values)
    {
        var sorted = values.Values.Order().ToArray();
        return values.ToDictionary(v => v.Key, v =>
        {
            var below = LowerBound(sorted, v.Value);
            return 1 + (5 * below / sorted.Length);
        });
    }

    private static int LowerBound(decimal[] sorted, decimal value)
    {
        var (low, high) = (0, sorted.Length);
        while (low < high)
        {
            var middle = (low + high) / 2;
            (low, high) = sorted[middle] < value ? (middle + 1, high) : (low, middle);
        }

        return low;
    }
}
