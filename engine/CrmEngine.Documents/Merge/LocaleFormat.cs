using System.Globalization;

namespace CrmEngine.Documents.Merge;

/// <summary>
/// Values as a document in a language shows them: zh-CN "¥1,234.50" and "2026年12月7日", en
/// "$1,234.50" and "December 7, 2026". Written out rather than taken from a CultureInfo, so a
/// document reads the same on every host (ICU data, or invariant globalization, varies).
/// </summary>
public static class LocaleFormat
{
    public const string English = "en";

    public const string Chinese = "zh-CN";

    public static readonly IReadOnlyList<string> Languages = [English, Chinese];

    private static readonly Dictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CNY"] = "¥", ["RMB"] = "¥", ["JPY"] = "¥", ["USD"] = "$", ["EUR"] = "€", ["GBP"] = "£", ["HKD"] = "HK$",
    };

    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>"¥1,234.50": the currency's symbol (its code and a space when it has none here), grouped thousands, two decimals.</summary>
    public static string Money(decimal amount, string currency)
    {
        var symbol = Symbols.TryGetValue(currency, out var known) ? known : currency.ToUpperInvariant() + " ";
        var digits = Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);
        return amount < 0 ? "-" + symbol + digits : symbol + digits;
    }

    public static string Number(decimal value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date, string language) => IsChinese(language)
        ? string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日")
        : string.Create(CultureInfo.InvariantCulture, $"{Months[date.Month - 1]} {date.Day}, {date.Year}");

    public static string Boolean(bool value, string language) => IsChinese(language) ? (value ? "是" : "否") : (value ? "Yes" : "No");

    /// <summary>"en" or "zh-CN" for any spelling of either ("zh", "zh-cn", "zh-Hans-CN", "en-US"); null for anything else.</summary>
    public static string? Normalize(string? language) => language?.Trim() switch
    {
        null or "" => null,
        var l when l.StartsWith("zh", StringComparison.OrdinalIgnoreCase) => Chinese,
        var l when l.StartsWith("en", StringComparison.OrdinalIgnoreCase) => English,
        _ => null,
    };

    private static bool IsChinese(string language) => language == Chinese;
}
