using CrmEngine.Plugins.Service.Sla;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// The business-time core on fixed instants: a Shanghai team working 09:00-18:00 (UTC+8) Monday to
/// Friday, off for the National Day break of 2026 (Thursday 1 to Wednesday 7 October) and working
/// the make-up days (调休) Sunday 20 September and Saturday 10 October. Every figure is worked out
/// by hand in the comments; instants are written in Shanghai time and compared in UTC.
/// </summary>
public sealed class BusinessTimeTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly HashSet<DayOfWeek> Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private static readonly HashSet<DateOnly> NationalDay = [.. Enumerable.Range(1, 7).Select(d => new DateOnly(2026, 10, d))];

    private static readonly HashSet<DateOnly> MakeUpDays = [new(2026, 9, 20), new(2026, 10, 10)];

    private static readonly BusinessCalendar Team = new(Shanghai, TimeSpan.FromHours(9), TimeSpan.FromHours(18), Weekdays, NationalDay, MakeUpDays);

    /// <summary>An instant written in Shanghai time (UTC+8), as UTC.</summary>
    private static DateTime Cst(int month, int day, int hour, int minute = 0) => new DateTime(2026, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    [Fact]
    public void A_target_set_on_friday_afternoon_runs_on_over_the_weekend_into_monday()
    {
        // Friday 11 Sep 16:00: two hours left that day; 4 h runs out at Monday 11:00, 8 h at Monday 15:00.
        Assert.Equal(Cst(9, 14, 11), Team.Add(Cst(9, 11, 16), TimeSpan.FromHours(4)));
        Assert.Equal(Cst(9, 14, 15), Team.Add(Cst(9, 11, 16), TimeSpan.FromHours(8)));
    }

    [Fact]
    public void A_target_set_the_evening_before_national_day_runs_out_after_the_break()
    {
        // Wednesday 30 Sep 17:00: 1 h that day, nothing 1-7 Oct, 9 h on Thursday 8 Oct, the last 6 h on Friday 9 Oct: 15:00.
        Assert.Equal(Cst(10, 9, 15), Team.Add(Cst(9, 30, 17), TimeSpan.FromHours(16)));
    }

    [Fact]
    public void A_make_up_working_day_on_a_saturday_counts_and_an_ordinary_saturday_does_not()
    {
        // Friday 9 Oct 15:00: 3 h that day, the last 5 h on the make-up Saturday 10 Oct: 14:00.
        Assert.Equal(Cst(10, 10, 14), Team.Add(Cst(10, 9, 15), TimeSpan.FromHours(8)));

        // The same target a week later skips the ordinary weekend: Friday 16 Oct 15:00 + 8 h is Monday 19 Oct 14:00.
        Assert.Equal(Cst(10, 19, 14), Team.Add(Cst(10, 16, 15), TimeSpan.FromHours(8)));
        Assert.True(Team.IsWorkingDay(new DateOnly(2026, 9, 20)));
        Assert.False(Team.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.False(Team.IsWorkingDay(new DateOnly(2026, 10, 17)));
    }

    [Fact]
    public void A_clock_started_outside_working_hours_starts_at_the_next_opening_and_a_target_may_end_at_closing_time()
    {
        // Sunday 13 Sep 22:00 + 1 h: Monday 10:00. Monday 07:00 + 1 h: Monday 10:00. Monday 09:00 + 9 h: Monday 18:00, not Tuesday 09:00.
        Assert.Equal(Cst(9, 14, 10), Team.Add(Cst(9, 13, 22), TimeSpan.FromHours(1)));
        Assert.Equal(Cst(9, 14, 10), Team.Add(Cst(9, 14, 7), TimeSpan.FromHours(1)));
        Assert.Equal(Cst(9, 14, 18), Team.Add(Cst(9, 14, 9), TimeSpan.FromHours(9)));
    }

    [Fact]
    public void Business_time_between_two_instants_skips_nights_weekends_and_holidays_and_counts_make_up_days()
    {
        // 30 Sep 17:00 to 8 Oct 10:00: 1 h + 1 h. Friday 9 Oct 17:00 to Monday 12 Oct 10:00: 1 h + 9 h (make-up Saturday) + 1 h.
        Assert.Equal(TimeSpan.FromHours(2), Team.Between(Cst(9, 30, 17), Cst(10, 8, 10)));
        Assert.Equal(TimeSpan.FromHours(11), Team.Between(Cst(10, 9, 17), Cst(10, 12, 10)));
        Assert.Equal(TimeSpan.Zero, Team.Between(Cst(10, 12, 10), Cst(10, 9, 17)));
    }

    [Fact]
    public void Due_and_warning_times_of_a_policy_count_its_targets_and_the_warning_share_in_business_time()
    {
        // 4 h first response, 16 h resolution, warned at 80 %: received Wednesday 30 Sep 17:00.
        var due = SlaDueTimes.Of(Team, new SlaPolicyTerms(240, 960, 80), Cst(9, 30, 17), pausedMinutes: 0);

        // 80 % of 4 h is 3 h 12 min: 1 h on 30 Sep, 2 h 12 min on 8 Oct: 11:12. 4 h: 8 Oct 12:00.
        // 80 % of 16 h is 12 h 48 min: 1 h + 9 h, then 2 h 48 min on 9 Oct: 11:48. 16 h: 9 Oct 15:00.
        Assert.Equal(new SlaDueTimes(Cst(10, 8, 11, 12), Cst(10, 8, 12), Cst(10, 9, 11, 48), Cst(10, 9, 15)), due);
    }

    [Fact]
    public void Time_spent_paused_moves_the_resolution_target_on_in_business_time_and_leaves_the_first_response_alone()
    {
        // Paused 5 h: 21 h of resolution from 30 Sep 17:00 is 1 + 9 + 9 h to Friday 9 Oct 18:00, then 2 h on the make-up Saturday: 11:00.
        var due = SlaDueTimes.Of(Team, new SlaPolicyTerms(240, 960, 80), Cst(9, 30, 17), pausedMinutes: 300);

        Assert.Equal((Cst(10, 8, 12), Cst(10, 10, 11)), (due.FirstResponseDueAt, due.ResolutionDueAt));
    }

    [Fact]
    public void The_sla_state_follows_the_clock_through_warning_and_breach_and_a_pause_or_a_resolution_stops_it()
    {
        var warnAt = Cst(10, 9, 11, 48);
        var dueAt = Cst(10, 9, 15);
        SlaSnapshot Running(DateTime? pausedAt = null, bool finished = false) => new(Cst(10, 8, 11, 12), Cst(10, 8, 12), Cst(10, 8, 10), warnAt, dueAt, pausedAt, finished);

        Assert.Equal(SlaStates.Ok, SlaStates.At(Running(), warnAt.AddMinutes(-1)));
        Assert.Equal(SlaStates.Warning, SlaStates.At(Running(), warnAt));
        Assert.Equal(SlaStates.Breached, SlaStates.At(Running(), dueAt));
        Assert.Equal(SlaStates.Paused, SlaStates.At(Running(pausedAt: warnAt), dueAt.AddDays(5)));
        Assert.Equal(SlaStates.Met, SlaStates.At(Running(pausedAt: warnAt, finished: true), dueAt.AddDays(5)));
        Assert.Equal(SlaStates.Breached, SlaStates.At(Running(pausedAt: dueAt.AddMinutes(1), finished: true), dueAt.AddDays(5)));

        // Not answered by 8 Oct 12:00: the first response target is breached even though resolution has time left.
        var unanswered = Running() with { FirstRespondedAt = null };
        Assert.Equal((SlaStates.Warning, SlaStates.Breached), (SlaStates.At(unanswered, Cst(10, 8, 11, 12)), SlaStates.At(unanswered, Cst(10, 8, 12))));
    }

    [Fact]
    public void A_round_the_clock_calendar_counts_every_minute_of_weekends_holidays_and_nights()
    {
        var allWeek = Enum.GetValues<DayOfWeek>().ToHashSet();
        var roundTheClock = new BusinessCalendar(Shanghai, TimeSpan.Zero, TimeSpan.FromDays(1), allWeek, new HashSet<DateOnly>(), new HashSet<DateOnly>());

        // Saturday 3 October (a holiday for the team calendar) 20:00 + 8 h runs through midnight to Sunday 04:00.
        Assert.Equal(Cst(10, 4, 4), roundTheClock.Add(Cst(10, 3, 20), TimeSpan.FromHours(8)));
        Assert.Equal(TimeSpan.FromHours(48), roundTheClock.Between(Cst(10, 3, 0), Cst(10, 5, 0)));
    }

    [Fact]
    public void A_calendar_without_any_working_day_refuses_to_place_a_target()
    {
        var never = new BusinessCalendar(Shanghai, TimeSpan.FromHours(9), TimeSpan.FromHours(18), new HashSet<DayOfWeek>(), new HashSet<DateOnly>(), new HashSet<DateOnly>());

        Assert.Throws<InvalidOperationException>(() => never.Add(Cst(10, 9, 15), TimeSpan.FromHours(1)));
    }
}
