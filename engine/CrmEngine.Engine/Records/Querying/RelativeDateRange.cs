using CrmEngine.Engine.Errors;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The calendar of the SDK's <see cref="RelativeDate"/> ("this quarter", "the last 7 days"): periods
/// are calendar periods in the range's time zone (an IANA or Windows id; the engine's default time
/// zone when null); weeks start on Monday (ISO 8601).
/// </summary>
public static class RelativeDateRange
{
    public const int MaxDays = 36_600;

    /// <summary>The first local day of the range and the first local day after it.</summary>
    public static (DateOnly Start, DateOnly End) LocalDays(this RelativeDate range, DateOnly today)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        return range.Period switch
        {
            RelativePeriod.Today => (today, today.AddDays(1)),
            RelativePeriod.Yesterday => (today.AddDays(-1), today),
            RelativePeriod.Tomorrow => (today.AddDays(1), today.AddDays(2)),
            RelativePeriod.ThisWeek => (monday, monday.AddDays(7)),
            RelativePeriod.LastWeek => (monday.AddDays(-7), monday),
            RelativePeriod.NextWeek => (monday.AddDays(7), monday.AddDays(14)),
            RelativePeriod.ThisMonth => (month, month.AddMonths(1)),
            RelativePeriod.LastMonth => (month.AddMonths(-1), month),
            RelativePeriod.NextMonth => (month.AddMonths(1), month.AddMonths(2)),
            RelativePeriod.ThisQuarter => (quarter, quarter.AddMonths(3)),
            RelativePeriod.LastQuarter => (quarter.AddMonths(-3), quarter),
            RelativePeriod.NextQuarter => (quarter.AddMonths(3), quarter.AddMonths(6)),
            RelativePeriod.ThisYear => (year, year.AddYears(1)),
            RelativePeriod.LastYear => (year.AddYears(-1), year),
            RelativePeriod.NextYear => (year.AddYears(1), year.AddYears(2)),
            RelativePeriod.LastNDays => (today.AddDays(1 - RequireDays(range)), today.AddDays(1)),
            RelativePeriod.NextNDays => (today, today.AddDays(RequireDays(range) + 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(today)),
        };
    }

    /// <summary>The range as UTC instants [start, end) for date-time fields.</summary>
    public static (DateTime Start, DateTime End) Instants(this RelativeDate range, DateTime utcNow, TimeZoneInfo zone)
    {
        var (start, end) = range.LocalDays(Today(utcNow, zone));
        return (ToUtc(start, zone), ToUtc(end, zone));
    }

    public static DateOnly Today(DateTime utcNow, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utcNow, zone));

    /// <summary>The UTC instant at which a local day starts in <paramref name="zone"/>.</summary>
    public static DateTime ToUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A day that starts inside a daylight-saving gap starts at the end of the gap.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public static TimeZoneInfo FindZone(string? id, TimeZoneInfo fallback, string field)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return fallback;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new CrmException(ErrorCodes.InvalidValue, $"'{id}' is not a known time zone; use an IANA id such as Asia/Shanghai or UTC.", field);
        }
    }

    private static int RequireDays(RelativeDate range) => range.Days is >= 1 and <= MaxDays
        ? range.Days.Value
        : throw new CrmException(ErrorCodes.InvalidValue, $"{range.Period} needs days between 1 and {MaxDays}.", "days");
}
