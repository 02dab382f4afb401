namespace CrmEngine.Plugins.Service.Sla;

/// <summary>
/// A team's business time: its time zone, daily working hours, the weekdays it works, the public
/// holidays it doesn't and the make-up working days (调休) it works although they fall on a weekend.
/// SLA targets count only the minutes inside these windows, so a four-hour target set on Friday
/// afternoon runs out on Monday, and one set before National Day runs out after it.
/// </summary>
internal sealed class BusinessCalendar
{
    /// <summary>How far a target may reach: a calendar without working days refuses to search forever.</summary>
    private const int MaxDays = 3 * 366;

    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan _start;
    private readonly TimeSpan _end;
    private readonly IReadOnlySet<DayOfWeek> _workingDays;
    private readonly IReadOnlySet<DateOnly> _holidays;
    private readonly IReadOnlySet<DateOnly> _makeUpDays;

    public BusinessCalendar(TimeZoneInfo zone, TimeSpan start, TimeSpan end, IReadOnlySet<DayOfWeek> workingDays, IReadOnlySet<DateOnly> holidays, IReadOnlySet<DateOnly> makeUpDays)
    {
        if (end <= start || start < TimeSpan.Zero || end > TimeSpan.FromDays(1))
        {
            throw new ArgumentException("The working day must end after it starts, within the day (24:00 at the latest).", nameof(end));
        }

        (_zone, _start, _end, _workingDays, _holidays, _makeUpDays) = (zone, start, end, workingDays, holidays, makeUpDays);
    }

    /// <summary>A make-up working day is worked whatever its weekday; a holiday is not; otherwise the weekday decides.</summary>
    public bool IsWorkingDay(DateOnly day) => _makeUpDays.Contains(day) || (_workingDays.Contains(day.DayOfWeek) && !_holidays.Contains(day));

    /// <summary>The instant <paramref name="duration"/> of business time after <paramref name="fromUtc"/>.</summary>
    public DateTime Add(DateTime fromUtc, TimeSpan duration)
    {
        var remaining = duration;
        foreach (var (start, end) in WindowsFrom(fromUtc))
        {
            var from = start > fromUtc ? start : fromUtc;
            if (from >= end)
            {
                continue;
            }

            if (remaining <= end - from)
            {
                return from + remaining;
            }

            remaining -= end - from;
        }

        throw new InvalidOperationException($"The calendar has too few working hours in the {MaxDays} days after {fromUtc:O}.");
    }

    /// <summary>The business time between two instants (zero when <paramref name="toUtc"/> is not after <paramref name="fromUtc"/>).</summary>
    public TimeSpan Between(DateTime fromUtc, DateTime toUtc)
    {
        var total = TimeSpan.Zero;
        foreach (var (start, end) in WindowsFrom(fromUtc))
        {
            if (start >= toUtc)
            {
                break;
            }

            var from = start > fromUtc ? start : fromUtc;
            var to = end < toUtc ? end : toUtc;
            if (to > from)
            {
                total += to - from;
            }
        }

        return total;
    }

    /// <summary>The working windows (UTC) of the working days from the local day of <paramref name="fromUtc"/> on.</summary>
    private IEnumerable<(DateTime Start, DateTime End)> WindowsFrom(DateTime fromUtc)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), _zone));
        for (var i = 0; i < MaxDays; i++, day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                yield return (ToUtc(day, _start), ToUtc(day, _end));
            }
        }
    }

    private DateTime ToUtc(DateOnly day, TimeSpan time)
    {
        // 24:00 is the next day's midnight, so a round-the-clock calendar's days join up.
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + time;

        // A working hour that a daylight-saving jump skips starts when the clocks have moved on.
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, _zone);
    }
}
