using CrmEngine.Reports.Definitions;

namespace CrmEngine.Reports.Running;

/// <summary>A group key as a report gives it: the grouped field, its value (API form) and a label to show.</summary>
public sealed record ReportKey(string Field, object? Value, string? Label);

/// <summary>
/// A measure's value in a row: the value, its share of the report's total (percent, two decimals),
/// and for a period comparison the earlier period's value and the change from it (percent, two
/// decimals; null when there was nothing to compare with).
/// </summary>
public sealed record ReportValue(string Measure, object? Value, decimal? PercentOfTotal = null, object? Previous = null, decimal? Change = null);

/// <summary>A pivot cell: the pivot key, and the row's count and measures for it.</summary>
public sealed record ReportCell(ReportKey Key, long Count, IReadOnlyList<ReportValue> Values);

/// <summary>
/// A row: a group (its keys, count, measures and, in a pivot, its cells), or in a record report a
/// record (its id and column values; the measures are the totals').
/// </summary>
public sealed record ReportResultRow(IReadOnlyList<ReportKey> Keys, long Count, IReadOnlyList<ReportValue> Values)
{
    public IReadOnlyList<ReportCell> Cells { get; init; } = [];

    public string? RecordId { get; init; }

    public IReadOnlyList<object?> Columns { get; init; } = [];
}

/// <summary>What running a report gives: its rows and totals, the pivot's columns, and whether the row limit left rows out.</summary>
public sealed record ReportResult(
    ReportDefinition Definition,
    IReadOnlyList<ReportResultRow> Rows,
    ReportResultRow Totals,
    IReadOnlyList<ReportKey> PivotColumns,
    bool HasMoreRows);
