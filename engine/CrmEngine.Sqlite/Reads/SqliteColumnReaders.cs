using Microsoft.Data.Sqlite;

namespace CrmEngine.Sqlite.Reads;

/// <summary>
/// Reads a column as its CLR type the way EF's SQLite type mappings do (the same getters of
/// Microsoft.Data.Sqlite), except that date-times in the format EF writes them are parsed by hand:
/// the general parser behind <see cref="SqliteDataReader.GetDateTime"/> was the dearest part of
/// reading a page. Anything not in that exact format goes through the general parser.
/// </summary>
internal static class SqliteColumnReaders
{
    public static Func<SqliteDataReader, int, object> For(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => (r, i) => r.GetString(i),
        var t when t == typeof(long) => (r, i) => r.GetInt64(i),
        var t when t == typeof(bool) => (r, i) => r.GetBoolean(i),
        var t when t == typeof(decimal) => (r, i) => r.GetDecimal(i),
        var t when t == typeof(DateTime) => (r, i) => ReadDateTime(r, i),
        var t when t == typeof(DateOnly) => (r, i) => r.GetFieldValue<DateOnly>(i),
        var t when t == typeof(Guid) => (r, i) => r.GetGuid(i),
        _ => (r, i) => r.GetValue(i),
    };

    private static DateTime ReadDateTime(SqliteDataReader reader, int ordinal) =>
        TryParseStored(reader.GetString(ordinal), out var value) ? value : reader.GetDateTime(ordinal);

    /// <summary>
    /// <c>yyyy-MM-dd HH:mm:ss</c> with an optional fraction of up to seven digits, as EF stores a
    /// DateTime in SQLite; the result has no kind, like the general parser's.
    /// </summary>
    public static bool TryParseStored(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length < 19 || text.Length is 20 or > 27 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':'
            || !Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        long fraction = 0;
        if (text.Length > 19)
        {
            if (text[19] != '.' || !Digits(text, 20, text.Length - 20, out var digits))
            {
                return false;
            }

            fraction = digits;
            for (var scale = text.Length - 20; scale < 7; scale++)
            {
                fraction *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second).AddTicks(fraction);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
