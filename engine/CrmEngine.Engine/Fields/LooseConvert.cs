using System.Globalization;
using System.Text.Json;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// Reads values that arrive from loosely typed sources (JSON from plugins and rules, text for
/// defaults and type changes) into the CLR types fields use. Never guesses: a value that does not
/// convert exactly returns false.
/// </summary>
internal static class LooseConvert
{
    public static object? Unwrap(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.TryGetInt64(out var l) ? l : e.GetDecimal(),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => Unwrap(x)).ToList(),
        JsonElement { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().ToDictionary(p => p.Name, p => Unwrap(p.Value)),
        _ => value,
    };

    public static bool TryLong(object? value, out long result)
    {
        switch (Unwrap(value))
        {
            case long l: result = l; return true;
            case int i: result = i; return true;
            case short s: result = s; return true;
            case byte b: result = b; return true;
            case decimal d when d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue: result = (long)d; return true;
            case double db when db == Math.Truncate(db) && db >= long.MinValue && db <= long.MaxValue: result = (long)db; return true;
            case string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): result = parsed; return true;
            default: result = 0; return false;
        }
    }

    /// <summary>
    /// A decimal without trailing zeros (120000.50 becomes 120000.5). A decimal carries its scale, and
    /// PostgreSQL's numeric keeps whatever scale it was given while SQLite's text form drops it; values
    /// are kept and handed out in this one form so both stores answer alike.
    /// </summary>
    public static decimal Canonical(decimal value) => value / 1.000000000000000000000000000000000m;

    public static bool TryDecimal(object? value, out decimal result)
    {
        switch (Unwrap(value))
        {
            case decimal d: result = Canonical(d); return true;
            case long l: result = l; return true;
            case int i: result = i; return true;
            case double db when !double.IsNaN(db) && !double.IsInfinity(db) && Math.Abs(db) < 7.9e28:
                result = Canonical((decimal)db); return true;
            case string s when decimal.TryParse(s.Trim(), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var parsed):
                result = Canonical(parsed); return true;
            default: result = 0; return false;
        }
    }

    public static bool TryBool(object? value, out bool result)
    {
        switch (Unwrap(value))
        {
            case bool b: result = b; return true;
            case string s when bool.TryParse(s.Trim(), out var parsed): result = parsed; return true;
            case long l when l is 0 or 1: result = l == 1; return true;
            default: result = false; return false;
        }
    }

    public static bool TryDate(object? value, out DateOnly result)
    {
        switch (Unwrap(value))
        {
            case DateOnly d: result = d; return true;
            case DateTime dt when dt.TimeOfDay == TimeSpan.Zero: result = DateOnly.FromDateTime(dt); return true;
            case string s when DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed):
                result = parsed; return true;
            default: result = default; return false;
        }
    }

    public static bool TryDateTime(object? value, out DateTime result)
    {
        switch (Unwrap(value))
        {
            case DateTime dt:
                result = dt.Kind switch
                {
                    DateTimeKind.Local => dt.ToUniversalTime(),
                    DateTimeKind.Unspecified => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
                    _ => dt,
                };
                break;
            case DateTimeOffset dto:
                result = dto.UtcDateTime;
                break;
            case string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed):
                result = parsed.UtcDateTime;
                break;
            default:
                result = default;
                return false;
        }

        // Both stores keep microseconds; dropping the last tick digit keeps reads equal to writes.
        result = new DateTime(result.Ticks - (result.Ticks % 10), DateTimeKind.Utc);
        return true;
    }

    public static bool TryGuid(object? value, out Guid result)
    {
        switch (Unwrap(value))
        {
            case Guid g: result = g; return true;
            case string s when Guid.TryParse(s.Trim(), out var parsed): result = parsed; return true;
            default: result = Guid.Empty; return false;
        }
    }

    /// <summary>
    /// True for text every store can hold: no NUL (PostgreSQL can't store one) and no lone surrogate
    /// (no UTF-8 store can). Text fields refuse other text alike on both stores, and so do filters on them.
    /// </summary>
    public static bool IsStorableText(string text) => !text.Contains('\0', StringComparison.Ordinal) && IsValidUtf16(text);

    /// <summary>False for text with a lone surrogate, which no UTF-8 store can hold (and no client can read back).</summary>
    public static bool IsValidUtf16(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(text, out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            text = text[used..];
        }

        return true;
    }

    public static string? AsText(object? value) => Unwrap(value) switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };
}
