using System.Globalization;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Reports.Definitions;

namespace CrmEngine.Reports.Running;

/// <summary>
/// Period over period: each row of a report whose first grouping is a date bucket is compared with
/// the row of the period before (PREVIOUS_PERIOD: the day, week, month, quarter or year before; a
/// month report's MoM) or of the same period a year before (PREVIOUS_YEAR: YoY; 52 weeks for
/// weeks), with the same other keys. The earlier row is read from the report's own groups, so the
/// filter must take in the earlier periods; without a row there, previous and change are null.
/// </summary>
internal static class PeriodComparisons
{
    public static List<ReportResultRow> Apply(ReportDefinition definition, KeyLabels labels, IReadOnlyList<AggregateRow> groups, List<ReportResultRow> rows)
    {
        if (definition.Measures.All(m => m.CompareTo is null))
        {
            return rows;
        }

        var first = definition.GroupBy[0];
        var byPeriod = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i].Key[0] is { } key)
            {
                byPeriod[Signature(labels.LocalStart(first, key), groups[i].Key)] = i;
            }
        }

        return rows.Select((row, i) =>
        {
            if (groups[i].Key[0] is not { } key)
            {
                return row;
            }

            var start = labels.LocalStart(first, key);
            return row with
            {
                Values = row.Values.Select((value, m) =>
                {
                    if (definition.Measures[m].CompareTo is not { } comparison)
                    {
                        return value;
                    }

                    var previous = byPeriod.TryGetValue(Signature(Earlier(first.Bucket!.Value, comparison, start), groups[i].Key), out var p) ? rows[p].Values[m].Value : null;
                    return value with { Previous = previous, Change = ReportValues.Change(value.Value, previous) };
                }).ToList(),
            };
        }).ToList();
    }

    public static DateOnly Earlier(ReportBucket bucket, PeriodComparison comparison, DateOnly start) => (comparison, bucket) switch
    {
        (PeriodComparison.PreviousYear, ReportBucket.Week) => start.AddDays(-364),
        (PeriodComparison.PreviousYear, _) => start.AddYears(-1),
        (_, ReportBucket.Day) => start.AddDays(-1),
        (_, ReportBucket.Week) => start.AddDays(-7),
        (_, ReportBucket.Month) => start.AddMonths(-1),
        (_, ReportBucket.Quarter or ReportBucket.FiscalQuarter) => start.AddMonths(-3),
        _ => start.AddYears(-1),
    };

    /// <summary>A period and a row's other keys, as one string.</summary>
    private static string Signature(DateOnly period, IReadOnlyList<object?> key) =>
        string.Join('\u001f', key.Skip(1).Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)).Prepend(period.ToString("O", CultureInfo.InvariantCulture)));
}
