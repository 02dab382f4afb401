using System.Globalization;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Reports.Definitions;

namespace CrmEngine.Reports.Running;

/// <summary>
/// A cross-tab: the rows (grouped by the row keys alone, so every measure is exact for the row) get
/// a cell per pivot value from the groups by row keys and pivot key. Every row has every column;
/// a combination without records is a cell with a count of 0 and empty measures.
/// </summary>
internal static class PivotTable
{
    public static (List<ReportResultRow> Rows, IReadOnlyList<ReportKey> Columns) Fold(
        ReportDefinition definition, KeyLabels labels, List<ReportResultRow> rows, IReadOnlyList<AggregateRow> cells, AggregateRow totals)
    {
        var rowKeys = definition.GroupBy.Count;
        var pivot = definition.PivotBy!;
        var columns = Order(cells.Select(c => c.Key[rowKeys]).Distinct().Select(v => (Raw: v, Key: labels.Key(pivot, v))).ToList());
        var bySignature = cells.ToDictionary(c => Signature(c.Key.Take(rowKeys).Select((k, i) => labels.Key(definition.GroupBy[i], k).Value).Append(labels.Key(pivot, c.Key[rowKeys]).Value)), StringComparer.Ordinal);
        var empty = definition.Measures.Select(m => new ReportValue(m.Name, m.Function == MeasureFunction.Count ? 0L : null, m.PercentOfTotal ? 0m : null)).ToList();
        var folded = rows.Select(row => row with
        {
            Cells = columns.Select(column => bySignature.TryGetValue(Signature(row.Keys.Select(k => k.Value).Append(column.Value)), out var cell)
                ? new ReportCell(column, cell.Count, ReportRunner.Measures(definition, cell, totals))
                : new ReportCell(column, 0, empty)).ToList(),
        }).ToList();
        return (folded, columns);
    }

    /// <summary>Pivot columns in key order: empty first, lookups by the related record's label, other values by value.</summary>
    private static List<ReportKey> Order(List<(object? Raw, ReportKey Key)> columns)
    {
        var byLabel = columns.Any(c => c.Raw is Guid);
        return columns
            .OrderBy(c => c.Raw is null ? 0 : 1)
            .ThenBy(c => byLabel ? c.Key.Label ?? "\uffff" : null, StringComparer.Ordinal)
            .ThenBy(c => c.Raw, Comparer<object?>.Default)
            .Select(c => c.Key).ToList();
    }

    private static string Signature(IEnumerable<object?> values) =>
        string.Join('\u001f', values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
}
