using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.GraphQL.Records;
using CrmEngine.Reports.Definitions;
using CrmEngine.Sdk.Records;
using Microsoft.Extensions.Options;

namespace CrmEngine.Reports.Running;

/// <summary>
/// Runs a report as its caller: the caller's record scope decides which records count, and a field
/// they can't read can't be grouped, measured or filtered on (FORBIDDEN). Groups and measures are
/// the engine's aggregates, one SQL GROUP BY each (totals, rows, and a pivot's cells), so no
/// record is loaded to group it; shares, comparisons and rankings are worked out from those groups.
/// </summary>
public sealed class ReportRunner(RecordAggregator aggregator, RecordReader reader, IOptions<CrmEngineOptions> options, TimeProvider time)
{
    /// <summary>How many records a record report lists when it names no top.</summary>
    public const int DefaultRecordRows = 100;

    /// <summary>Runs <paramref name="definition"/>; <paramref name="filter"/> (the run's parameters, in the filter language) is ANDed with the saved filter.</summary>
    public async Task<ReportResult> RunAsync(CrmSession session, ReportDefinition definition, IDictionary<string, object?>? filter, string? locale, CancellationToken cancellationToken)
    {
        var maxGroups = options.Value.MaxAggregateGroups;
        var errors = ReportValidator.Check(session, definition, maxGroups, time.GetUtcNow().UtcDateTime);
        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        var entity = session.Metadata.Get(definition.Entity);
        var saved = ReportValidator.Filter(session.Metadata, entity, definition);
        var extra = FilterInput.Read(session.Metadata, entity, filter);
        var where = saved is null ? extra : extra is null ? saved : new Condition.AllOf([saved, extra]);
        var values = definition.Measures.Where(m => m.Function != MeasureFunction.Count)
            .Select(m => new Aggregate(ReportValidator.Aggregate(m.Function), m.Field!)).Distinct().ToList();
        var zone = RelativeDateRange.FindZone(options.Value.TimeZone, TimeZoneInfo.Utc, "timeZone");
        var labels = new KeyLabels(session, reader, entity, locale, zone, definition.FiscalYearStartMonth);
        var run = new Run(session, definition, where, values, cancellationToken);

        var totals = (await AggregateAsync(run, [], GroupOrder.KeyAsc, 1)).Totals!;
        var totalsRow = new ReportResultRow([], totals.Count, Measures(definition, totals, totals));
        if (definition.GroupBy.Count == 0)
        {
            var (records, more) = definition.Columns.Count == 0 ? ([], false) : await RecordRows.ReadAsync(session, reader, definition, where, Math.Min(definition.Top ?? DefaultRecordRows, options.Value.MaxPageSize), cancellationToken);
            return new ReportResult(definition, records, totalsRow, [], more);
        }

        var (groups, hasMore) = await RowsAsync(run, maxGroups);
        var cells = definition.PivotBy is null ? [] : await CellsAsync(run, maxGroups);
        await labels.LoadAsync(definition.AllGroupings, groups.Select(g => g.Key).Concat(cells.Select(c => c.Key)), cancellationToken);

        var rows = groups.Select(g => new ReportResultRow(
            g.Key.Select((k, i) => labels.Key(definition.GroupBy[i], k)).ToList(), g.Count, Measures(definition, g, totals))).ToList();
        rows = PeriodComparisons.Apply(definition, labels, groups, rows);
        if (definition.Top is { } top)
        {
            // Ranked after the comparisons, so a top row still compares with a period that didn't make the cut.
            var ranked = Rank(definition, rows).ToList();
            hasMore |= ranked.Count > top;
            rows = ranked.Take(top).ToList();
        }

        if (definition.PivotBy is null)
        {
            return new ReportResult(definition, rows, totalsRow, [], hasMore);
        }

        var (pivotRows, columns) = PivotTable.Fold(definition, labels, rows, cells, totals);
        return new ReportResult(definition, pivotRows, totalsRow, columns, hasMore);
    }

    /// <summary>The row groups in key order. A top N by count is the store's (biggest groups first, cut there); other rankings need every group.</summary>
    private async Task<(IReadOnlyList<AggregateRow> Groups, bool HasMore)> RowsAsync(Run run, int maxGroups)
    {
        var definition = run.Definition;
        if (definition.Top is { } top && definition.TopBy is null && definition.Measures.All(m => m.CompareTo is null))
        {
            var best = await AggregateAsync(run, definition.GroupBy, GroupOrder.CountDesc, top);
            return (best.Groups, best.HasMoreGroups);
        }

        var all = await AggregateAsync(run, definition.GroupBy, GroupOrder.KeyAsc, maxGroups);
        if (all.HasMoreGroups && (definition.Top is not null || definition.Measures.Any(m => m.CompareTo is not null)))
        {
            throw new CrmException(ErrorCodes.ReportTooManyGroups, $"The report has more than {maxGroups} groups to rank or compare; narrow its filter or coarsen its groupings.", "groupBy");
        }

        return (all.Groups, all.HasMoreGroups);
    }

    private async Task<IReadOnlyList<AggregateRow>> CellsAsync(Run run, int maxGroups)
    {
        var cells = await AggregateAsync(run, run.Definition.AllGroupings, GroupOrder.KeyAsc, maxGroups);
        return cells.HasMoreGroups
            ? throw new CrmException(ErrorCodes.ReportTooManyGroups, $"The pivot has more than {maxGroups} cells; narrow the report's filter or coarsen its groupings.", "pivotBy")
            : cells.Groups;
    }

    /// <summary>Largest first by the topBy measure (nulls last); ties keep key order.</summary>
    private static IEnumerable<ReportResultRow> Rank(ReportDefinition definition, List<ReportResultRow> rows)
    {
        if (definition.TopBy is not { } measure)
        {
            return rows.OrderByDescending(r => r.Count);
        }

        return rows.OrderByDescending(r => ReportValues.Number(r.Values.Single(v => v.Measure == measure).Value) is not null)
            .ThenByDescending(r => ReportValues.Number(r.Values.Single(v => v.Measure == measure).Value));
    }

    internal static IReadOnlyList<ReportValue> Measures(ReportDefinition definition, AggregateRow row, AggregateRow totals) =>
        definition.Measures.Select(m =>
        {
            var value = Value(m, row);
            return new ReportValue(m.Name, value, m.PercentOfTotal ? ReportValues.Percent(value, Value(m, totals)) : null);
        }).ToList();

    internal static object? Value(ReportMeasure measure, AggregateRow row) => measure.Function == MeasureFunction.Count
        ? row.Count
        : ReportValues.Api(row.Values.GetValueOrDefault(new Aggregate(ReportValidator.Aggregate(measure.Function), measure.Field!)));

    private async Task<Engine.Records.Querying.Aggregation.AggregateResult> AggregateAsync(Run run, IReadOnlyList<ReportGrouping> groupings, GroupOrder order, int limit)
    {
        var request = new AggregateRequest
        {
            Where = run.Where,
            GroupBy = groupings.Select(g => new Grouping(g.Field, Bucket(g.Bucket), g.TimeZone)).ToList(),
            Values = run.Values,
            GroupLimit = limit,
            Order = order,
        };
        var query = new AggregateQuery(run.Definition.Entity, request)
        {
            IncludeTotals = groupings.Count == 0,
            IncludeGroups = groupings.Count > 0,
            FiscalYearStartMonth = run.Definition.FiscalYearStartMonth,
            FiscalKeys = groupings.Select((g, i) => (g, i)).Where(x => x.g.Bucket is ReportBucket.FiscalQuarter or ReportBucket.FiscalYear).Select(x => x.i).ToHashSet(),
        };
        return await aggregator.AggregateAsync(run.Session, query, run.CancellationToken);
    }

    private static DateBucket? Bucket(ReportBucket? bucket) => bucket switch
    {
        null => null,
        ReportBucket.Day => DateBucket.Day,
        ReportBucket.Week => DateBucket.Week,
        ReportBucket.Month => DateBucket.Month,
        ReportBucket.Quarter or ReportBucket.FiscalQuarter => DateBucket.Quarter,
        _ => DateBucket.Year,
    };

    private sealed record Run(CrmSession Session, ReportDefinition Definition, Condition? Where, IReadOnlyList<Aggregate> Values, CancellationToken CancellationToken);
}
