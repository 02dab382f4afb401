using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmEngine.Reports.Definitions;

/// <summary>
/// Calendar and fiscal periods to group dates by. Weeks start on Monday; fiscal quarters and years
/// start in the report's <see cref="ReportDefinition.FiscalYearStartMonth"/>.
/// </summary>
public enum ReportBucket
{
    Day,
    Week,
    Month,
    Quarter,
    Year,
    FiscalQuarter,
    FiscalYear,
}

/// <summary>What a measure computes over a group's records.</summary>
public enum MeasureFunction
{
    Count,
    Sum,
    Avg,
    Min,
    Max,
    CountDistinct,
}

/// <summary>Which earlier group a measure is compared with: the period just before (MoM for months), or the same period a year before (YoY).</summary>
public enum PeriodComparison
{
    PreviousPeriod,
    PreviousYear,
}

/// <summary>How a client should draw the report: a hint, the engine draws nothing.</summary>
public enum ChartKind
{
    Table,
    Bar,
    Column,
    Line,
    Area,
    Pie,
    Donut,
    Funnel,
}

/// <summary>A group key: a field (a lookup groups by the related record), or a date field in a bucket.</summary>
public sealed record ReportGrouping(string Field, ReportBucket? Bucket = null, string? TimeZone = null);

/// <summary>
/// A measure: its function over a field (none for COUNT), under a name unique in the report, with
/// its share of the report's total (COUNT and SUM) and its change from an earlier period.
/// </summary>
public sealed record ReportMeasure(string Name, MeasureFunction Function, string? Field = null, bool PercentOfTotal = false, PeriodComparison? CompareTo = null);

/// <summary>
/// A report over one entity. Without groupings it lists records (<see cref="Columns"/>, through
/// lookups as <c>account.name</c>) with the measures' totals; with them it gives one row per group,
/// and with <see cref="PivotBy"/> a cell per row and pivot value.
/// </summary>
public sealed record ReportDefinition
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Entity { get; init; }

    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The records to report on, in the list queries' filter language (the entity's <c>Filter</c> input as JSON).</summary>
    public JsonElement? Filter { get; init; }

    public IReadOnlyList<ReportGrouping> GroupBy { get; init; } = [];

    public ReportGrouping? PivotBy { get; init; }

    public IReadOnlyList<ReportMeasure> Measures { get; init; } = [];

    /// <summary>Keep only the N rows with the largest <see cref="TopBy"/> measure (records: the first N).</summary>
    public int? Top { get; init; }

    /// <summary>The measure ranking the top N; the count when null.</summary>
    public string? TopBy { get; init; }

    /// <summary>The month (1-12) a fiscal year starts in, for FISCAL_QUARTER and FISCAL_YEAR buckets.</summary>
    public int FiscalYearStartMonth { get; init; } = 1;

    public ChartKind Chart { get; init; } = ChartKind.Table;

    public string Write() => JsonSerializer.Serialize(this, Json);

    public static ReportDefinition Read(string json) => JsonSerializer.Deserialize<ReportDefinition>(json, Json)!;

    /// <summary>Every grouping in the order the store groups by: the rows' keys, then the pivot's.</summary>
    public IReadOnlyList<ReportGrouping> AllGroupings => PivotBy is null ? GroupBy : [.. GroupBy, PivotBy];
}
