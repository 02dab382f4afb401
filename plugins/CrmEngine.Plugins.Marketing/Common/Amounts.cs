namespace CrmEngine.Plugins.Marketing.Common;

/// <summary>
/// Exact money arithmetic a finance person can redo by hand: amounts are decimals in CNY, rounded
/// half away from zero (四舍五入) to cents, ratios to four places.
/// </summary>
internal static class Amounts
{
    public const string Currency = "CNY";

    public static decimal Cents(decimal amount) => Sdk.Records.Money.Round(amount);

    public static decimal Of(CrmRecord record, string field) => Sdk.Records.Money.AmountOf(record, field);

    public static decimal Of(object? value) => value is Money money ? money.Amount : 0m;

    public static Money Money(decimal amount) => new(Cents(amount), Currency);

    /// <summary>numerator / denominator to four places, or null when the denominator is zero.</summary>
    public static decimal? Ratio(decimal numerator, decimal denominator) =>
        denominator == 0m ? null : Math.Round(numerator / denominator, 4, MidpointRounding.AwayFromZero);

    /// <summary>amount / count to cents, or null when the count is zero.</summary>
    public static decimal? Per(decimal amount, int count) => count == 0 ? null : Cents(amount / count);

    /// <summary>Splits <paramref name="total"/> over parts in proportion to <paramref name="weights"/>, to cents, adding up exactly (the SDK's largest-remainder split).</summary>
    public static decimal[] Allocate(decimal total, IReadOnlyList<decimal> weights) => Sdk.Records.Money.Allocate(total, weights);
}
