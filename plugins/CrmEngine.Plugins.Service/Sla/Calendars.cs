using System.Globalization;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>Reads a service calendar record and its days into a <see cref="BusinessCalendar"/>, and checks its parts.</summary>
internal static class Calendars
{
    public static readonly IReadOnlyList<string> DefaultWorkingDays = ["mon", "tue", "wed", "thu", "fri"];

    private static readonly Dictionary<string, DayOfWeek> Weekdays = new()
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    public static async Task<BusinessCalendar> LoadAsync(IRecordApi records, Guid calendarId, CancellationToken cancellationToken)
    {
        var calendar = await records.GetAsync(SlaEntities.Calendar, calendarId, cancellationToken)
            ?? throw new InvalidOperationException($"Service calendar {calendarId} is gone.");
        var holidays = new HashSet<DateOnly>();
        var workdays = new HashSet<DateOnly>();
        await foreach (var day in records.QueryAllAsync(SlaEntities.CalendarDay, Condition.Eq("calendar", calendarId), cancellationToken: cancellationToken))
        {
            (day.GetValue<string>("kind") == "workday" ? workdays : holidays).Add(day.GetValue<DateOnly>("date"));
        }

        var weekdays = (calendar.GetValue<IReadOnlyList<string>>("workingDays") is { Count: > 0 } listed ? listed : DefaultWorkingDays).Select(d => Weekdays[d]).ToHashSet();
        return new BusinessCalendar(
            Zone(calendar.GetValue<string>("timeZone"))!,
            Hour(calendar.GetValue<string>("workdayStart"))!.Value,
            Hour(calendar.GetValue<string>("workdayEnd"))!.Value,
            weekdays,
            holidays,
            workdays);
    }

    /// <summary>An IANA time zone (Asia/Shanghai) the host knows; null otherwise.</summary>
    public static TimeZoneInfo? Zone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    /// <summary>A time of day written HH:mm, or 24:00 for the end of the day (a round-the-clock calendar works 00:00 to 24:00); null otherwise.</summary>
    public static TimeSpan? Hour(string? text) =>
        text?.Trim() == "24:00" ? TimeSpan.FromDays(1)
        : TimeOnly.TryParseExact(text?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var hour) ? hour.ToTimeSpan() : null;
}
