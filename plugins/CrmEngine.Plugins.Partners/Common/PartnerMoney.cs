namespace CrmEngine.Plugins.Partners.Common;

/// <summary>
/// Exact money arithmetic for incentives, as sales computes its commissions (a plugin can't share
/// another's code): amounts are decimals rounded half away from zero to cents (四舍五入).
/// </summary>
internal static class PartnerMoney
{
    public const string Currency = "CNY";

    public static decimal Round(decimal amount) => Sdk.Records.Money.Round(amount);

    /// <summary>A percentage of an amount, rounded to cents.</summary>
    public static decimal Percent(decimal amount, decimal percent) => Round(amount * percent / 100m);

    public static decimal AmountOf(CrmRecord record, string field) => Sdk.Records.Money.AmountOf(record, field);

    public static Money Cny(decimal amount) => new(Round(amount), Currency);

    /// <summary>Splits <paramref name="total"/> over parts in proportion to <paramref name="weights"/>, to cents, adding up exactly (the SDK's largest-remainder split).</summary>
    public static decimal[] Allocate(decimal total, IReadOnlyList<decimal> weights) => Sdk.Records.Money.Allocate(total, weights);
}
