using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Import.Files;
using CrmEngine.Import.Mapping;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Import;

/// <summary>How an import reads the cells people write, and tells a file's kind from its first bytes.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class CellValuesTests
{
    private static readonly FieldDefinition Day = Field("day", FieldType.Date);
    private static readonly FieldDefinition Amount = Field("amount", FieldType.Decimal);

    [Theory]
    [InlineData("2025-03-31")]
    [InlineData("2025/3/31")]
    [InlineData("2025.03.31")]
    [InlineData("2025年3月31日")]
    [InlineData("20250331")]
    public void Dates_are_read_in_the_forms_spreadsheets_write_them(string text) =>
        Assert.Equal(new DateOnly(2025, 3, 31), CellValues.Read(Day, text).Value);

    [Fact]
    public void Excel_serial_dates_and_date_cells_are_dates_and_text_that_is_not_one_is_an_invalid_value()
    {
        Assert.Equal(new DateOnly(2025, 3, 31), CellValues.Read(Day, 45747d).Value);
        Assert.Equal(new DateOnly(2025, 3, 31), CellValues.Read(Day, new DateTime(2025, 3, 31)).Value);
        Assert.Equal((ErrorCodes.InvalidValue, "day"), (CellValues.Read(Day, "31/03/2025").Error!.Code, CellValues.Read(Day, "31/03/2025").Error!.Field));
    }

    [Theory]
    [InlineData("1,234,567.50", "1234567.50")]
    [InlineData("1 234", "1234")]
    [InlineData("１２", null)]
    [InlineData("1.2.3", null)]
    public void Numbers_may_carry_thousands_separators(string text, string? expected) =>
        Assert.Equal(expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), CellValues.Read(Amount, text).Value as decimal?);

    [Fact]
    public void Picklists_take_an_options_value_or_its_english_or_chinese_label()
    {
        var status = Field("status", FieldType.Picklist) with
        {
            Options = [new PicklistOption { Value = "qualified", Labels = LocalizedText.Of("Qualified", "已确认") }],
        };

        Assert.Equal(["qualified", "qualified", "qualified"], new[] { "qualified", "QUALIFIED", "已确认" }.Select(t => CellValues.Read(status, t).Value));
        Assert.Equal(ErrorCodes.InvalidOption, CellValues.Read(status, "lost").Error!.Code);
    }

    [Fact]
    public void A_file_is_an_xlsx_workbook_by_its_zip_signature_and_csv_only_when_it_is_utf8_text()
    {
        Assert.Equal(ImportFormat.Xlsx, ImportFormats.Detect("PK\u0003\u0004rest"u8, complete: true));
        Assert.Equal(ImportFormat.Csv, ImportFormats.Detect("name\n华为\n"u8, complete: true));
        // A sniff that cuts a Chinese character in two is not an encoding error.
        Assert.Equal(ImportFormat.Csv, ImportFormats.Detect("name\n华"u8[..7], complete: false));
        Assert.Equal(ErrorCodes.ImportFileNotUtf8, Assert.Throws<CrmException>(() => ImportFormats.Detect([(byte)'a', 0xBF, 0xCD, (byte)'\n'], complete: true)).Code);
    }

    private static FieldDefinition Field(string name, FieldType type) => new() { Name = name, Type = type, Labels = LocalizedText.Of(name, name) };
}
