namespace CrmEngine.Plugins.Partners.Common;

/// <summary>
/// Exact money arithmetic for incentives, as sales computes its commissions (a plugin can't share
/// another's code): amounts are decimals rounded half away from zero to cents (四舍五入).
/// </summary>
internal static class PartnerMoney
{
    public const string Currency = "CNY";

    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>A percentage of an amount, rounded to cents.</summary>
    public static decimal Percent(decimal amount, decimal percent) => Round(amount * percent / 100m);

    public static decimal AmountOf(CrmRecord record, string field) => record.GetValue(field) is Money money ? money.Amount : 0m;

    public static Money Cny(decimal amount) => new(Round(amount), Currency);

    /// <summary>
    /// Splits <paramref name="total"/> over parts in proportion to <paramref name="weights"/>, to cents,
    /// so the parts add up exactly: each part is cut down to cents and the spare cents go to the
    /// largest remainders (ties to the earlier part).
    /// </summary>
    public static decimal[] Allocate(decimal total, IReadOnlyList<decimal> weights)
    {
        var sum = weights.Sum();
        var parts = new decimal[weights.Count];
        if (weights.Count == 0 || sum == 0m)
        {
            return parts;
        }

        var remainders = new decimal[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = total * weights[i] / sum;
            parts[i] = Math.Truncate(exact * 100m) / 100m;
            remainders[i] = exact - parts[i];
        }

        var spare = (int)Math.Round((total - parts.Sum()) * 100m);
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(Math.Abs(spare)))
        {
            parts[i] += spare > 0 ? 0.01m : -0.01m;
        }

        return parts;
    }
}
