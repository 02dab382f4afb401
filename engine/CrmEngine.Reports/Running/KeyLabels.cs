using System.Globalization;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Reports.Definitions;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Reports.Running;

/// <summary>
/// Turns group key values into what a report shows: picklist values into their option's label in
/// the caller's language, lookup ids into global ids labelled with the related record's display
/// field (read with the caller's rights: a record or field they can't read has no label), and
/// date buckets into their period (2026-01-05, 2026-W02, 2026-01, 2026-Q1, 2026, FY2026-Q1, FY2026).
/// </summary>
internal sealed class KeyLabels(CrmSession session, RecordReader reader, EntityDefinition entity, string? locale, TimeZoneInfo defaultZone, int fiscalStart)
{
    private readonly Dictionary<Guid, string?> _names = [];

    /// <summary>Reads the display names of the records the lookup groupings point at, one query per grouping.</summary>
    public async Task LoadAsync(IReadOnlyList<ReportGrouping> groupings, IEnumerable<IReadOnlyList<object?>> keys, CancellationToken cancellationToken)
    {
        var rows = keys.ToList();
        for (var i = 0; i < groupings.Count; i++)
        {
            if (entity.FindField(groupings[i].Field) is not { Type: FieldType.Lookup } lookup || session.Metadata.Find(lookup.LookupEntity!) is not { DisplayField: { } display } target)
            {
                continue;
            }

            var ids = rows.Select(k => k[i]).OfType<Guid>().Distinct().ToList();
            foreach (var (id, record) in await reader.GetManyAsync(session, target.Name, ids, cancellationToken))
            {
                _names[id] = record.Get(display)?.ToString();
            }
        }
    }

    public ReportKey Key(ReportGrouping grouping, object? value)
    {
        if (value is null)
        {
            return new ReportKey(grouping.Field, null, null);
        }

        if (grouping.Bucket is { } bucket)
        {
            var start = LocalStart(grouping, value);
            return new ReportKey(grouping.Field, value, Period(bucket, start));
        }

        var field = entity.FindField(grouping.Field);
        return (field?.Type, value) switch
        {
            (FieldType.Lookup, Guid id) => new ReportKey(grouping.Field, GlobalId.Encode(field!.LookupEntity!, id), _names.GetValueOrDefault(id)),
            (FieldType.Picklist, string option) => new ReportKey(grouping.Field, option, field!.Options?.FirstOrDefault(o => o.Value == option)?.Labels.Get(locale) ?? option),
            (null, Guid user) => new ReportKey(grouping.Field, GlobalId.Encode(GlobalId.UserType, user), null),
            (_, bool flag) => new ReportKey(grouping.Field, flag, flag ? "true" : "false"),
            (_, DateTime instant) => new ReportKey(grouping.Field, instant, instant.ToString("O", CultureInfo.InvariantCulture)),
            _ => new ReportKey(grouping.Field, value, Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>The first day of a bucket key, in the bucket's time zone (date-time buckets are keyed by the UTC instant that day starts).</summary>
    public DateOnly LocalStart(ReportGrouping grouping, object value) => value switch
    {
        DateOnly date => date,
        DateTime instant => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(instant, DateTimeKind.Utc), Zone(grouping))),
        _ => throw new InvalidOperationException($"A {grouping.Bucket} key is a date, not {value.GetType().Name}."),
    };

    private TimeZoneInfo Zone(ReportGrouping grouping) => RelativeDateRange.FindZone(grouping.TimeZone, defaultZone, "timeZone");

    private string Period(ReportBucket bucket, DateOnly start) => bucket switch
    {
        ReportBucket.Day => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ReportBucket.Week => $"{ISOWeek.GetYear(start.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(start.ToDateTime(TimeOnly.MinValue)):00}",
        ReportBucket.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        ReportBucket.Quarter => $"{start.Year}-Q{((start.Month - 1) / 3) + 1}",
        ReportBucket.Year => start.Year.ToString(CultureInfo.InvariantCulture),
        // Fiscal periods are named by the year the fiscal year starts in; the key is the period's first day.
        ReportBucket.FiscalQuarter => $"FY{FiscalYear(start)}-Q{FiscalQuarter(start)}",
        _ => $"FY{start.Year}",
    };

    private int FiscalYear(DateOnly start) => start.AddMonths(-(fiscalStart - 1)).Year;

    private int FiscalQuarter(DateOnly start) => ((start.AddMonths(-(fiscalStart - 1)).Month - 1) / 3) + 1;
}
