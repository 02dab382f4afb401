using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Records;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Querying;

[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class RelativeDateRangeTests
{
    private static readonly DateOnly Wednesday = new(2026, 5, 13);

    [Theory]
    [InlineData(RelativePeriod.Today, null, "2026-05-13", "2026-05-14")]
    [InlineData(RelativePeriod.Yesterday, null, "2026-05-12", "2026-05-13")]
    [InlineData(RelativePeriod.ThisWeek, null, "2026-05-11", "2026-05-18")]
    [InlineData(RelativePeriod.LastWeek, null, "2026-05-04", "2026-05-11")]
    [InlineData(RelativePeriod.ThisMonth, null, "2026-05-01", "2026-06-01")]
    [InlineData(RelativePeriod.LastMonth, null, "2026-04-01", "2026-05-01")]
    [InlineData(RelativePeriod.ThisQuarter, null, "2026-04-01", "2026-07-01")]
    [InlineData(RelativePeriod.LastQuarter, null, "2026-01-01", "2026-04-01")]
    [InlineData(RelativePeriod.NextQuarter, null, "2026-07-01", "2026-10-01")]
    [InlineData(RelativePeriod.ThisYear, null, "2026-01-01", "2027-01-01")]
    [InlineData(RelativePeriod.LastNDays, 7, "2026-05-07", "2026-05-14")]
    [InlineData(RelativePeriod.NextNDays, 3, "2026-05-13", "2026-05-17")]
    public void Periods_are_calendar_days_with_weeks_starting_on_monday(RelativePeriod period, int? days, string start, string end)
    {
        var (first, after) = new RelativeDate(period, days).LocalDays(Wednesday);
        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), first);
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), after);
    }

    [Fact]
    public void Today_in_shanghai_starts_at_sixteen_hundred_utc_the_day_before()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var utcNow = new DateTime(2026, 5, 12, 17, 0, 0, DateTimeKind.Utc); // already the 13th in Shanghai
        var (start, end) = new RelativeDate(RelativePeriod.Today).Instants(utcNow, zone);
        Assert.Equal(new DateTime(2026, 5, 12, 16, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(new DateTime(2026, 5, 13, 16, 0, 0, DateTimeKind.Utc), end);
    }

    [Fact]
    public void Day_counts_out_of_range_and_unknown_zones_are_refused()
    {
        Assert.Equal(ErrorCodes.InvalidValue, Assert.Throws<CrmException>(() => new RelativeDate(RelativePeriod.LastNDays).LocalDays(Wednesday)).Code);
        Assert.Equal(ErrorCodes.InvalidValue, Assert.Throws<CrmException>(() => new RelativeDate(RelativePeriod.LastNDays, 0).LocalDays(Wednesday)).Code);
        Assert.Equal(ErrorCodes.InvalidValue, Assert.Throws<CrmException>(() => RelativeDateRange.FindZone("Mars/Olympus", TimeZoneInfo.Utc, "x")).Code);
    }
}
