using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Reports.Definitions;

namespace CrmEngine.Reports.Subscriptions;

/// <summary>How often a subscription delivers: every day, on chosen weekdays, or on a day of each month.</summary>
public enum DeliveryFrequency
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>
/// When a report is delivered: at <see cref="At"/> (a local time of day) in <see cref="TimeZone"/>
/// (an IANA or Windows id), every day, on <see cref="Weekdays"/>, or on <see cref="DayOfMonth"/> of
/// every month (a day the month doesn't have, such as the 31st in April, is its last day). The
/// local time is what holds across daylight saving: 08:00 stays 08:00 on the wall, so the UTC time
/// moves by an hour; a time skipped by the clocks going forward is delivered at the first minute
/// that exists after it (02:30 on a night that jumps from 02:00 to 03:00 is delivered at 03:00), and a
/// time that happens twice when they go back is delivered at the first of the two.
/// </summary>
public sealed record DeliverySchedule(DeliveryFrequency Frequency, TimeOnly At, string TimeZone, IReadOnlyList<DayOfWeek>? Weekdays = null, int? DayOfMonth = null)
{
    public string Write() => JsonSerializer.Serialize(this, ReportDefinition.Json);

    public static DeliverySchedule Read(string json) => JsonSerializer.Deserialize<DeliverySchedule>(json, ReportDefinition.Json)!;

    /// <summary>What is wrong with the schedule, each as a typed error on its member (INVALID_SCHEDULE).</summary>
    public IReadOnlyList<CrmError> Check()
    {
        var errors = new List<CrmError>();
        void Wrong(string member, string message) => errors.Add(new CrmError(ErrorCodes.InvalidSchedule, message, "schedule." + member));
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            Wrong("timeZone", $"'{TimeZone}' is not a known time zone (an IANA id such as Asia/Shanghai).");
        }

        if (At.Second != 0 || At.Millisecond != 0)
        {
            Wrong("at", "A delivery time is whole minutes (HH:mm).");
        }

        var weekdays = Weekdays ?? [];
        switch (Frequency)
        {
            case DeliveryFrequency.Weekly when weekdays.Count == 0:
                Wrong("weekdays", "A weekly delivery names at least one weekday.");
                break;
            case DeliveryFrequency.Monthly when DayOfMonth is not (>= 1 and <= 31):
                Wrong("dayOfMonth", "A monthly delivery names a day of the month from 1 to 31 (a day a month doesn't have is its last day).");
                break;
        }

        if (Frequency != DeliveryFrequency.Weekly && weekdays.Count > 0)
        {
            Wrong("weekdays", "Only a weekly delivery names weekdays.");
        }

        if (Frequency != DeliveryFrequency.Monthly && DayOfMonth is not null)
        {
            Wrong("dayOfMonth", "Only a monthly delivery names a day of the month.");
        }

        return errors;
    }

    /// <summary>The first delivery time strictly after <paramref name="afterUtc"/>, in UTC (the schedule is checked).</summary>
    public DateTime Next(DateTime afterUtc)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), zone));
        // A day before the local date: the previous local day's time may still be ahead in UTC
        // only across a date line, never more. Thirteen months covers any monthly day.
        for (var day = localDay.AddDays(-1); day <= localDay.AddMonths(13); day = day.AddDays(1))
        {
            if (Includes(day) && ToUtc(zone, day.ToDateTime(At)) is var due && due > afterUtc)
            {
                return due;
            }
        }

        throw new InvalidOperationException("A checked schedule always has a next delivery.");
    }

    private bool Includes(DateOnly day) => Frequency switch
    {
        DeliveryFrequency.Daily => true,
        DeliveryFrequency.Weekly => Weekdays!.Contains(day.DayOfWeek),
        _ => day.Day == Math.Min(DayOfMonth!.Value, DateTime.DaysInMonth(day.Year, day.Month)),
    };

    /// <summary>The UTC time of a local wall time: a skipped one moves forward past the gap, an ambiguous one is its first occurrence.</summary>
    private static DateTime ToUtc(TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The first occurrence is the one with the larger offset (daylight time, before the clocks go back).
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
