using System.Globalization;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Import.Mapping;

/// <summary>A lookup cell's text, matched to a record's id once per batch (<see cref="LookupResolver"/>).</summary>
public sealed record LookupText(string Text);

/// <summary>
/// Turns a cell into the value a field takes, as people write it in spreadsheets: numbers with
/// thousands separators (1,234.50), dates as ISO, yyyy/MM/dd, yyyy.MM.dd, yyyy年M月d日 or an Excel date
/// (a date cell or its serial number), yes/no and 是/否, picklist options by value or by their English
/// or Chinese label, lookups by a record's id or, later, by text (<see cref="LookupText"/>). What it
/// can't read is an INVALID_VALUE or INVALID_OPTION error on the field; the field's own checks
/// (range, length, pattern) run in the pipeline after this.
/// </summary>
public static class CellValues
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyy.MM.dd", "yyyy.M.d", "yyyy年M月d日", "yyyy年MM月dd日", "yyyyMMdd",
    ];

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy/MM/dd HH:mm:ss", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss",
        "yyyy年M月d日 H:mm", "yyyy年M月d日 H:mm:ss", "yyyy年M月d日 H时m分", "yyyy年M月d日 H时m分s秒",
    ];

    /// <summary>No value: an empty cell sets nothing (a create takes the default, an update keeps what is stored).</summary>
    public static bool IsEmpty(object? cell) => cell is null || (cell is string s && string.IsNullOrWhiteSpace(s));

    public static (object? Value, CrmError? Error) Read(FieldDefinition field, object cell)
    {
        var text = cell as string;
        var value = field.Type switch
        {
            FieldType.Integer or FieldType.Decimal or FieldType.Money => Number(cell),
            FieldType.Boolean => Boolean(cell),
            FieldType.Date => Date(cell),
            FieldType.DateTime => DateTimeValue(cell),
            FieldType.Picklist => text is null ? Text(cell) : Option(field, text),
            FieldType.MultiPicklist => Options(field, Text(cell)!),
            FieldType.Lookup => Lookup(field, Text(cell)!),
            _ => Text(cell),
        };

        return value switch
        {
            null => (null, new CrmError(ErrorCodes.InvalidValue, $"'{Text(cell)}' is not {Expected(field)}.", field.Name)),
            CrmError error => (null, error),
            _ => (value, null),
        };
    }

    private static string? Text(object cell) => cell switch
    {
        string s => s.Trim(),
        DateTime dt => dt.TimeOfDay == TimeSpan.Zero ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString(),
    };

    private static object? Number(object cell) => cell switch
    {
        double d when !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 7.9e28 => (decimal)d,
        decimal or long or int => cell,
        string s when decimal.TryParse(Clean(s), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>Thousands separators as spreadsheets write them (',', '，', spaces, apostrophes) go; the point stays.</summary>
    private static string Clean(string number) => number.Trim().Replace(",", "", StringComparison.Ordinal).Replace("，", "", StringComparison.Ordinal)
        .Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);

    private static object? Boolean(object cell) => cell switch
    {
        bool b => b,
        double d when d is 0 or 1 => d == 1,
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "y" or "1" or "是" or "真" or "√" => true,
            "false" or "no" or "n" or "0" or "否" or "假" or "×" => false,
            _ => null,
        },
        _ => null,
    };

    private static object? Date(object cell) => cell switch
    {
        DateTime dt => DateOnly.FromDateTime(dt),
        double serial when IsSerialDate(serial) && serial == Math.Floor(serial) => DateOnly.FromDateTime(DateTime.FromOADate(serial)),
        string s when DateOnly.TryParseExact(s.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        _ => null,
    };

    /// <summary>Times without an offset are taken as UTC, as the API takes them.</summary>
    private static object? DateTimeValue(object cell) => cell switch
    {
        DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
        double serial when IsSerialDate(serial) => DateTime.SpecifyKind(DateTime.FromOADate(serial), DateTimeKind.Utc),
        string s when DateTime.TryParseExact(s.Trim(), DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t,
        string s when DateOnly.TryParseExact(s.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t.UtcDateTime,
        _ => null,
    };

    /// <summary>Excel's serial dates, 1900-01-01 to 9999-12-31.</summary>
    private static bool IsSerialDate(double serial) => serial is >= 1 and < 2958466;

    private static object Option(FieldDefinition field, string text)
    {
        text = text.Trim();
        var options = field.Options ?? [];
        var option = options.FirstOrDefault(o => o.Active && o.Value == text)
            ?? options.FirstOrDefault(o => o.Active && string.Equals(o.Value, text, StringComparison.OrdinalIgnoreCase))
            ?? options.FirstOrDefault(o => o.Active && ColumnMap.Labels(o.Labels).Any(l => string.Equals(l, text, StringComparison.OrdinalIgnoreCase)));
        return option?.Value ?? (object)new CrmError(ErrorCodes.InvalidOption,
            $"'{text}' is not an option of '{field.Name}' by value or label. Allowed: {string.Join(", ", options.Where(o => o.Active).OrderBy(o => o.Order).Select(o => o.Value))}.", field.Name);
    }

    /// <summary>Several options in one cell, separated by ';', '；', '|', ',' or '，'.</summary>
    private static object Options(FieldDefinition field, string text)
    {
        var values = new List<string>();
        foreach (var part in text.Split([';', '；', '|', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var option = Option(field, part);
            if (option is CrmError)
            {
                return option;
            }

            values.Add((string)option);
        }

        return values;
    }

    /// <summary>A record's id (UUID or global id) as it is; any other text is matched later.</summary>
    private static object Lookup(FieldDefinition field, string text) =>
        GlobalId.TryRead(text, field.LookupEntity!, out var id) ? id : new LookupText(text);

    private static string Expected(FieldDefinition field) => field.Type switch
    {
        FieldType.Integer => "a whole number",
        FieldType.Decimal or FieldType.Money => "a number (thousands separators are fine)",
        FieldType.Boolean => "yes/no (true/false, 是/否, 1/0)",
        FieldType.Date => "a date (2025-03-31, 2025/03/31, 2025年3月31日 or an Excel date)",
        FieldType.DateTime => "a date and time (2025-03-31 09:30, ISO 8601, or an Excel date)",
        _ => $"a value for {field.Type}",
    };
}
