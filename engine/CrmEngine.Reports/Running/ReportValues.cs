using System.Globalization;
using CrmEngine.Engine.Records.Querying.Aggregation;

namespace CrmEngine.Reports.Running;

/// <summary>The arithmetic of derived figures: shares of the total and changes between periods, in percent.</summary>
internal static class ReportValues
{
    /// <summary>An aggregate value as a report gives it: exact sums as decimals (as text when a decimal can't hold them).</summary>
    public static object? Api(object? value) => value switch
    {
        ExactDecimal exact => exact.TryToDecimal(out var number) ? number : exact.ToString(),
        _ => value,
    };

    public static decimal? Number(object? value) => value switch
    {
        long l => l,
        int i => i,
        decimal d => d,
        double d when double.IsFinite(d) => (decimal)d,
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary><paramref name="part"/> as a percentage of <paramref name="whole"/>, two decimals, half away from zero; null over a zero or empty whole.</summary>
    public static decimal? Percent(object? part, object? whole) =>
        Number(whole) is { } w && w != 0 ? Math.Round((Number(part) ?? 0) * 100m / w, 2, MidpointRounding.AwayFromZero) : null;

    /// <summary>The change from <paramref name="previous"/> to <paramref name="current"/> in percent of the previous (two decimals); null when there is no previous figure or it is zero.</summary>
    public static decimal? Change(object? current, object? previous) =>
        Number(previous) is { } p && p != 0 ? Math.Round(((Number(current) ?? 0) - p) * 100m / Math.Abs(p), 2, MidpointRounding.AwayFromZero) : null;
}
