using System.Globalization;
using CrmEngine.Sqlite.Reads;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>Date-times read from SQLite are parsed by hand in EF's stored format, to the same value the general parser gives.</summary>
public sealed class StoredDateTimeTests
{
    [Theory]
    [InlineData("2026-12-06 03:35:29")]
    [InlineData("2026-12-06 03:35:29.1")]
    [InlineData("2026-12-06 03:35:29.1234567")]
    [InlineData("2024-02-29 23:59:59.9999999")]
    [InlineData("0001-01-01 00:00:00")]
    [InlineData("9999-12-31 23:59:59.0000001")]
    public void Stored_date_times_read_as_the_general_parser_reads_them(string text)
    {
        Assert.True(SqliteColumnReaders.TryParseStored(text, out var value));
        var expected = DateTime.Parse(text, CultureInfo.InvariantCulture);
        Assert.Equal(expected, value);
        Assert.Equal(expected.Kind, value.Kind);
    }

    [Theory]
    [InlineData("2026-12-06T03:35:29")]
    [InlineData("2026-12-06 03:35:29Z")]
    [InlineData("2026-12-06 03:35:29.")]
    [InlineData("2026-12-06 03:35:29.12345678")]
    [InlineData("2026-02-30 00:00:00")]
    [InlineData("2026-12-06 24:00:00")]
    [InlineData("2026-12-06 03:35")]
    [InlineData("2459000.5")]
    [InlineData("")]
    public void Anything_else_is_left_to_the_general_parser(string text) =>
        Assert.False(SqliteColumnReaders.TryParseStored(text, out _));
}
