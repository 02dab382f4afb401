using CrmEngine.Testing;
using CrmEngine.Engine.Coordination;

namespace CrmEngine.Host.Tests.Webhooks;

/// <summary>The back-off between attempts of a delivery: doubling, capped, with jitter.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class RetryScheduleTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(4, 80)]
    [InlineData(10, 3600)]
    [InlineData(1000, 3600)]
    public void Each_wait_doubles_up_to_the_cap_and_is_drawn_between_half_and_all_of_it(int attempts, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds / 2), RetrySchedule.Delay(attempts, First, Max, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(seconds * 0.75), RetrySchedule.Delay(attempts, First, Max, random: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.Delay(attempts, First, Max, random: 1));
    }
}
