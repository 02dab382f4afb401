using System.Diagnostics;
using System.Net;
using CrmEngine.Host.Http;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// A 429 is held for a moment before it is sent (never longer than its Retry-After), so a caller that
/// retries at once costs the host one refusal per moment per connection rather than thousands a
/// second; and only so many are held at once.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class RefusalPacingTests
{
    [Fact]
    public async Task A_request_over_the_rate_limit_is_answered_429_only_after_the_refusal_delay()
    {
        using var host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["Crm:Endpoint:RefusalDelay"] = "00:00:00.500",
            ["Crm:Endpoint:PerCaller:PermitsPerSecond"] = "1",
            ["Crm:Endpoint:PerCaller:Burst"] = "1",
        });
        using var client = await host.NewTenantAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ metadataVersion }")).Status);

        var watch = Stopwatch.StartNew();
        var refused = await client.PostAsync("{ metadataVersion }");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("RATE_LIMITED", refused.FirstErrorCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"the refusal came after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_refusal_is_held_for_the_delay_or_its_retry_after_whichever_is_shorter()
    {
        var time = new FakeTimeProvider();
        var pacer = Pacer(time, TimeSpan.FromSeconds(1), maxHeld: 10);

        var held = pacer.HoldAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        var quick = pacer.HoldAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.False(held.IsCompleted);
        Assert.False(quick.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(200));
        await quick.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(held.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(800));
        await held.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Beyond_the_refusals_it_may_hold_and_with_no_delay_a_refusal_goes_out_at_once()
    {
        var time = new FakeTimeProvider();
        var pacer = Pacer(time, TimeSpan.FromSeconds(1), maxHeld: 2);
        var held = new[] { pacer.HoldAsync(TimeSpan.FromSeconds(5), CancellationToken.None), pacer.HoldAsync(TimeSpan.FromSeconds(5), CancellationToken.None) };

        Assert.True(pacer.HoldAsync(TimeSpan.FromSeconds(5), CancellationToken.None).IsCompleted);
        Assert.True(Pacer(time, TimeSpan.Zero, maxHeld: 2).HoldAsync(TimeSpan.FromSeconds(5), CancellationToken.None).IsCompleted);
        Assert.All(held, h => Assert.False(h.IsCompleted));

        time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static RefusalPacer Pacer(TimeProvider time, TimeSpan delay, int maxHeld) =>
        new(Options.Create(new EndpointLimits { RefusalDelay = delay, MaxHeldRefusals = maxHeld }), time);
}
