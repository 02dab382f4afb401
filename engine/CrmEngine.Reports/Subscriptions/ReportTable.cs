using System.Collections;
using System.Globalization;
using CrmEngine.GraphQL.Execution.Export;
using CrmEngine.Reports.Definitions;
using CrmEngine.Reports.Running;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Reports.Subscriptions;

/// <summary>
/// A report's result as a sheet, for its attachments: a record report gives a row per record and a
/// column per report column; a grouped one a row per group (its keys' labels, the count of records
/// unless a COUNT measure gives it, and each
/// measure with its share, previous value and change when the report asks for them, then each pivot
/// column's count and measures) and a last row of totals, keyed "Total". Money cells are amounts, dates
/// ISO 8601, lists joined by "; ", as the exports write them.
/// </summary>
public sealed record ReportTable(IReadOnlyList<ExportColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    public const string TotalLabel = "Total";

    public static ReportTable From(ReportResult result)
    {
        var definition = result.Definition;
        if (definition.GroupBy.Count == 0)
        {
            return definition.Columns.Count > 0
                ? new ReportTable(Headers(definition.Columns), result.Rows.Select(r => r.Columns.Select(Cell).ToArray()).ToList())
                : new ReportTable(Headers([.. CountHeader(definition), .. MeasureHeaders(definition)]), [Row(definition, result.Totals, [], [])]);
        }

        var headers = definition.GroupBy.Select(g => g.Field).Concat(CountHeader(definition)).Concat(MeasureHeaders(definition)).ToList();
        foreach (var column in result.PivotColumns)
        {
            var prefix = (column.Label ?? Cell(column.Value)?.ToString() ?? "-") + ": ";
            headers.AddRange(CountHeader(definition).Select(h => prefix + h));
            headers.AddRange(definition.Measures.Select(m => prefix + m.Name));
        }

        var rows = result.Rows.Select(r => Row(definition, r, r.Keys.Select(k => k.Label ?? Cell(k.Value)), result.PivotColumns)).ToList();
        // The totals have no earlier period and no pivot cells: those cells stay empty.
        var totals = Row(definition, result.Totals, definition.GroupBy.Select((_, i) => i == 0 ? TotalLabel : null), []);
        rows.Add([.. totals, .. new object?[headers.Count - totals.Length]]);
        return new ReportTable(Headers(headers), rows);
    }

    private static object?[] Row(ReportDefinition definition, ReportResultRow row, IEnumerable<object?> keys, IReadOnlyList<ReportKey> pivotColumns)
    {
        var cells = keys.Concat(CountHeader(definition).Select(_ => (object?)row.Count)).Concat(MeasureCells(definition, row)).ToList();
        foreach (var column in pivotColumns)
        {
            var cell = row.Cells.FirstOrDefault(c => Equals(c.Key.Value, column.Value) || c.Key.Label == column.Label && c.Key.Label is not null);
            cells.AddRange(CountHeader(definition).Select(_ => (object?)(cell?.Count ?? 0L)));
            cells.AddRange(definition.Measures.Select(m => Cell(cell?.Values.FirstOrDefault(v => v.Measure == m.Name)?.Value)));
        }

        return [.. cells];
    }

    /// <summary>A column of the records counted, unless a COUNT measure gives it already.</summary>
    private static IEnumerable<string> CountHeader(ReportDefinition definition) =>
        definition.Measures.Any(m => m.Function == MeasureFunction.Count) ? [] : [definition.Measures.Any(m => m.Name == "count") ? "records" : "count"];

    /// <summary>Each measure's header, and its share, previous value and change when the report asks for them.</summary>
    private static IEnumerable<string> MeasureHeaders(ReportDefinition definition) =>
        definition.Measures.SelectMany(m => Parts(m, null).Select(p => m.Name + p.Suffix));

    private static IEnumerable<object?> MeasureCells(ReportDefinition definition, ReportResultRow row) =>
        definition.Measures.SelectMany(m => Parts(m, row.Values.FirstOrDefault(v => v.Measure == m.Name)).Select(p => p.Value));

    private static IEnumerable<(string Suffix, object? Value)> Parts(ReportMeasure measure, ReportValue? value)
    {
        yield return (string.Empty, Cell(value?.Value));
        if (measure.PercentOfTotal)
        {
            yield return (" %", value?.PercentOfTotal);
        }

        if (measure.CompareTo is not null)
        {
            yield return (" previous", Cell(value?.Previous));
            yield return (" change %", value?.Change);
        }
    }

    private static List<ExportColumn> Headers(IEnumerable<string> headers) => headers.Select(h => new ExportColumn(h, [h])).ToList();

    /// <summary>A value as a cell: numbers, text and booleans as they are, money as its amount, dates in ISO 8601, lists joined.</summary>
    private static object? Cell(object? value) => value switch
    {
        null or string or bool or long or int or decimal or double => value,
        Money money => money.Amount,
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IEnumerable list and not IDictionary => string.Join("; ", list.Cast<object?>().Select(Cell)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
