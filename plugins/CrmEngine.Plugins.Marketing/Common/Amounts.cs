namespace CrmEngine.Plugins.Marketing.Common;

/// <summary>
/// Exact money arithmetic a finance person can redo by hand: amounts are decimals in CNY, rounded
/// half away from zero (四舍五入) to cents, ratios to four places.
/// </summary>
internal static class Amounts
{
    public const string Currency = "CNY";

    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static decimal Of(CrmRecord record, string field) => record.GetValue(field) is Money money ? money.Amount : 0m;

    public static decimal Of(object? value) => value is Money money ? money.Amount : 0m;

    public static Money Money(decimal amount) => new(Cents(amount), Currency);

    /// <summary>numerator / denominator to four places, or null when the denominator is zero.</summary>
    public static decimal? Ratio(decimal numerator, decimal denominator) =>
        denominator == 0m ? null : Math.Round(numerator / denominator, 4, MidpointRounding.AwayFromZero);

    /// <summary>amount / count to cents, or null when the count is zero.</summary>
    public static decimal? Per(decimal amount, int count) => count == 0 ? null : Cents(amount / count);

    /// <summary>
    /// Splits <paramref name="total"/> in proportion to <paramref name="weights"/>, to cents, so the
    /// parts add up exactly: each part is first cut down to whole cents, then the spare cents go one
    /// each to the parts that lost the most in the cut (the earlier part on a tie).
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
