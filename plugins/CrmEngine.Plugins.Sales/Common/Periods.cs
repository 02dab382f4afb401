using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Common;

/// <summary>Calendar periods (month, quarter, year) and "today" in the tenant's sales time zone.</summary>
internal static class Periods
{
    public static TimeZoneInfo Zone(string? id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(id) ? "Asia/Shanghai" : id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    public static DateOnly Today(DateTime utcNow, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utcNow, zone));

    /// <summary>The UTC instant a local day starts.</summary>
    public static DateTime StartOf(DateOnly day, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);

    /// <summary>The first day of the MONTH, QUARTER or YEAR that holds <paramref name="day"/>.</summary>
    public static DateOnly Start(string period, DateOnly day) => period switch
    {
        "MONTH" => new DateOnly(day.Year, day.Month, 1),
        "QUARTER" => new DateOnly(day.Year, (((day.Month - 1) / 3) * 3) + 1, 1),
        "YEAR" => new DateOnly(day.Year, 1, 1),
        _ => throw new OperationException(SalesErrors.InvalidInput, $"Unknown period '{period}'; use MONTH, QUARTER or YEAR.", "period"),
    };

    public static DateOnly Next(string period, DateOnly start) => period switch
    {
        "MONTH" => start.AddMonths(1),
        "QUARTER" => start.AddMonths(3),
        _ => start.AddYears(1),
    };

    /// <summary>
    /// The periods a report asked for with <c>from</c> and <c>to</c>: the first one's start (the
    /// period holding today when <c>from</c> is omitted) and the day after the last one (
    /// <paramref name="periodsWithoutTo"/> periods in all when <c>to</c> is omitted); at most ten years.
    /// </summary>
    public static (DateOnly First, DateOnly End) Range(IOperationContext context, string period, TimeZoneInfo zone, int periodsWithoutTo)
    {
        var first = Start(period, context.Argument<DateOnly?>("from") ?? Today(DateTime.UtcNow, zone));
        var last = first;
        if (context.Argument<DateOnly?>("to") is { } to)
        {
            last = Start(period, to);
        }
        else
        {
            for (var i = 1; i < periodsWithoutTo; i++)
            {
                last = Next(period, last);
            }
        }

        if (last < first || (last.DayNumber - first.DayNumber) > 3700)
        {
            throw new OperationException(SalesErrors.InvalidInput, "'to' must not be before 'from', and the range at most ten years.", "to");
        }

        return (first, Next(period, last));
    }

    public static string Label(string period, DateOnly start) => period switch
    {
        "MONTH" => $"{start:yyyy-MM}",
        "QUARTER" => $"{start.Year}-Q{((start.Month - 1) / 3) + 1}",
        _ => $"{start.Year}",
    };
}
