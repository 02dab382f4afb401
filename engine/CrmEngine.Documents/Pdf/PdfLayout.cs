using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmEngine.Documents.Pdf;

/// <summary>
/// A PDF template: a title, header fields (label and value), a line table over an inverse list
/// (columns with a header, a value, a relative width and an alignment), totals (label and value,
/// right-aligned under the table) and a footer. Every text may hold merge fields.
/// </summary>
public sealed record PdfLayout
{
    public string? Title { get; init; }

    public IReadOnlyList<PdfLabelled> Fields { get; init; } = [];

    public PdfTable? Table { get; init; }

    public IReadOnlyList<PdfLabelled> Totals { get; init; } = [];

    public string? Footer { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The layout in a template's JSON, or why it is not one.</summary>
    public static (PdfLayout? Layout, string? Error) Parse(string json)
    {
        PdfLayout? layout;
        try
        {
            layout = JsonSerializer.Deserialize<PdfLayout>(json, Json);
        }
        catch (JsonException e)
        {
            return (null, $"The layout is not valid JSON for a PDF template (line {e.LineNumber + 1}).");
        }

        return layout switch
        {
            null => (null, "The layout is empty."),
            { Title: null, Fields.Count: 0, Table: null, Totals.Count: 0 } => (null, "The layout has nothing to show: give a title, fields, a table or totals."),
            { Table: { } table } when string.IsNullOrWhiteSpace(table.Lines) || table.Columns.Count == 0 => (null, "The table needs its lines (an inverse list's name) and at least one column."),
            { Table: { } table } when table.Columns.Any(c => c.Width is <= 0 or > 100) => (null, "A column's width is a relative weight between 0 and 100."),
            _ => (layout, null),
        };
    }
}

/// <summary>A label and a value, e.g. "Customer" and "{{customer.name}}".</summary>
public sealed record PdfLabelled(string Label, string Value);

/// <summary>The line table: one row per record of the inverse list <see cref="Lines"/>.</summary>
public sealed record PdfTable(string Lines, IReadOnlyList<PdfColumn> Columns);

/// <summary>A column of the line table; <see cref="Value"/> reads the line (<c>{{lines.quantity}}</c>) or the record.</summary>
public sealed record PdfColumn(string Header, string Value, double Width = 1, PdfAlign Align = PdfAlign.Left);

public enum PdfAlign
{
    Left,
    Right,
    Center,
}
