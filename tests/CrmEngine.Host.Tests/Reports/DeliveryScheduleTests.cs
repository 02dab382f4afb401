using CrmEngine.Reports.Subscriptions;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>
/// When a subscription's deliveries fall due, worked out by hand from the zones' rules: the wall-clock
/// time holds across daylight saving (a skipped time moves to the first minute after the gap, a
/// repeated one is taken the first time), and a monthly day a month doesn't have is its last day.
/// </summary>
public sealed class DeliveryScheduleTests
{
    private static DateTime Utc(string value) => DateTime.Parse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    private static List<DateTime> Deliveries(DeliverySchedule schedule, string from, int count)
    {
        var times = new List<DateTime>();
        var after = Utc(from);
        for (var i = 0; i < count; i++)
        {
            after = schedule.Next(after);
            times.Add(after);
        }

        return times;
    }

    [Fact]
    public void A_daily_delivery_at_eight_in_Shanghai_is_midnight_UTC_and_the_time_itself_is_not_next()
    {
        var schedule = new DeliverySchedule(DeliveryFrequency.Daily, new TimeOnly(8, 0), "Asia/Shanghai");

        Assert.Equal(Utc("2026-03-02T00:00:00Z"), schedule.Next(Utc("2026-03-01T00:00:00Z")));
        Assert.Equal(Utc("2026-03-01T00:00:00Z"), schedule.Next(Utc("2026-02-28T23:59:00Z")));
    }

    [Fact]
    public void A_weekly_delivery_keeps_its_wall_clock_time_when_Berlin_moves_to_summer_time()
    {
        // Monday and Friday at 09:30; Berlin goes from UTC+1 to UTC+2 on Sunday 29 March 2026.
        var schedule = new DeliverySchedule(DeliveryFrequency.Weekly, new TimeOnly(9, 30), "Europe/Berlin", [DayOfWeek.Monday, DayOfWeek.Friday]);

        Assert.Equal(
            [Utc("2026-03-23T08:30:00Z"), Utc("2026-03-27T08:30:00Z"), Utc("2026-03-30T07:30:00Z"), Utc("2026-04-03T07:30:00Z")],
            Deliveries(schedule, "2026-03-21T12:00:00Z", 4));
    }

    [Fact]
    public void A_time_the_clocks_skip_is_delivered_at_the_first_minute_after_the_gap()
    {
        // New York jumps from 02:00 EST to 03:00 EDT on 8 March 2026: 02:30 doesn't happen that night.
        var schedule = new DeliverySchedule(DeliveryFrequency.Daily, new TimeOnly(2, 30), "America/New_York");

        Assert.Equal(
            [Utc("2026-03-07T07:30:00Z"), Utc("2026-03-08T07:00:00Z"), Utc("2026-03-09T06:30:00Z")],
            Deliveries(schedule, "2026-03-07T00:00:00Z", 3));
    }

    [Fact]
    public void A_time_that_happens_twice_when_the_clocks_go_back_is_delivered_once_the_first_time()
    {
        // New York goes back from 02:00 EDT to 01:00 EST on 1 November 2026: 01:30 happens at 05:30Z and 06:30Z.
        var schedule = new DeliverySchedule(DeliveryFrequency.Daily, new TimeOnly(1, 30), "America/New_York");

        Assert.Equal(
            [Utc("2026-10-31T05:30:00Z"), Utc("2026-11-01T05:30:00Z"), Utc("2026-11-02T06:30:00Z")],
            Deliveries(schedule, "2026-10-31T00:00:00Z", 3));
    }

    [Fact]
    public void A_monthly_delivery_on_the_31st_comes_on_the_last_day_of_shorter_months()
    {
        var schedule = new DeliverySchedule(DeliveryFrequency.Monthly, new TimeOnly(18, 0), "Asia/Shanghai", DayOfMonth: 31);

        Assert.Equal(
            [Utc("2026-01-31T10:00:00Z"), Utc("2026-02-28T10:00:00Z"), Utc("2026-03-31T10:00:00Z"), Utc("2026-04-30T10:00:00Z")],
            Deliveries(schedule, "2026-01-15T00:00:00Z", 4));
    }

    [Fact]
    public void A_monthly_delivery_on_the_29th_comes_on_the_29th_of_a_leap_February()
    {
        var schedule = new DeliverySchedule(DeliveryFrequency.Monthly, new TimeOnly(0, 0), "UTC", DayOfMonth: 29);

        Assert.Equal([Utc("2027-02-28T00:00:00Z"), Utc("2027-03-29T00:00:00Z")], Deliveries(schedule, "2027-02-01T00:00:00Z", 2));
        Assert.Equal([Utc("2028-02-29T00:00:00Z"), Utc("2028-03-29T00:00:00Z")], Deliveries(schedule, "2028-02-01T00:00:00Z", 2));
    }

    [Fact]
    public void A_delivery_late_in_the_evening_in_Los_Angeles_falls_on_the_next_UTC_day()
    {
        // 23:00 PST (UTC-8) on a Friday is 07:00Z on Saturday.
        var schedule = new DeliverySchedule(DeliveryFrequency.Weekly, new TimeOnly(23, 0), "America/Los_Angeles", [DayOfWeek.Friday]);

        Assert.Equal(Utc("2026-01-10T07:00:00Z"), schedule.Next(Utc("2026-01-10T06:00:00Z")));
        Assert.Equal(Utc("2026-01-17T07:00:00Z"), schedule.Next(Utc("2026-01-10T07:00:00Z")));
    }

    [Fact]
    public void Schedules_that_cannot_run_are_refused_on_the_member_at_fault()
    {
        static List<string> Errors(DeliverySchedule schedule) => schedule.Check().Select(e => $"{e.Code} {e.Field}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["INVALID_SCHEDULE schedule.timeZone"], Errors(new DeliverySchedule(DeliveryFrequency.Daily, new TimeOnly(8, 0), "Mars/Olympus_Mons")));
        Assert.Equal(["INVALID_SCHEDULE schedule.weekdays"], Errors(new DeliverySchedule(DeliveryFrequency.Weekly, new TimeOnly(8, 0), "UTC", [])));
        Assert.Equal(["INVALID_SCHEDULE schedule.dayOfMonth"], Errors(new DeliverySchedule(DeliveryFrequency.Monthly, new TimeOnly(8, 0), "UTC", DayOfMonth: 32)));
        Assert.Equal(["INVALID_SCHEDULE schedule.dayOfMonth", "INVALID_SCHEDULE schedule.weekdays"],
            Errors(new DeliverySchedule(DeliveryFrequency.Daily, new TimeOnly(8, 0), "UTC", [DayOfWeek.Monday], DayOfMonth: 1)));
        Assert.Empty(Errors(new DeliverySchedule(DeliveryFrequency.Monthly, new TimeOnly(8, 0), "Asia/Shanghai", DayOfMonth: 31)));
    }
}
