using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Rules.Api;

namespace CrmEngine.Host.Tests.Subscriptions;

/// <summary>
/// WebSocket messages answer to the same limits as HTTP requests: each subscribe takes from the
/// key's rate limit (a burst of 10 here, one more a second), and a key holds at most two
/// subscriptions on the host over all its connections. Over either, that operation gets an
/// <c>error</c> message with a typed code, and the connection stays.
/// </summary>
public sealed class SubscriptionRateLimitTests : IDisposable
{
    private const string NotificationReceived = "subscription { notificationReceived { message } }";

    private readonly CrmHost _host = new(settings: new Dictionary<string, string?>
    {
        ["Crm:Endpoint:PerCaller:PermitsPerSecond"] = "1",
        ["Crm:Endpoint:PerCaller:Burst"] = "10",
        ["Crm:Subscriptions:MaxSubscriptionsPerCaller"] = "2",
    });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Subscribes_beyond_the_keys_rate_limit_get_a_RATE_LIMITED_error_and_the_connection_stays()
    {
        using var admin = await _host.NewTenantAsync();
        await using var client = await TransportWsClient.InitializedAsync(_host, admin);
        const int sent = 30;
        for (var i = 0; i < sent; i++)
        {
            await client.SubscribeAsync($"q{i}", "{ __typename }");
        }

        // Each operation ends with complete (it ran) or error (it was refused); a burst of 10 refills at one a second.
        var refusals = new List<JsonNode>();
        for (var ended = 0; ended < sent;)
        {
            var message = (await client.ReceiveAsync())!;
            var type = message["type"]!.GetValue<string>();
            if (type == "error")
            {
                refusals.Add(message["payload"]![0]!);
            }

            ended += type is "complete" or "error" ? 1 : 0;
        }

        Assert.InRange(refusals.Count, 1, sent - 1);
        Assert.All(refusals, e => Assert.Equal("RATE_LIMITED", e["extensions"]!["code"]!.GetValue<string>()));
        Assert.True(refusals[0]["extensions"]!["retryAfter"]!.GetValue<int>() >= 1);
        await client.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await client.ReceiveAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_holds_at_most_its_share_of_subscriptions_over_all_its_connections()
    {
        using var admin = await _host.NewTenantAsync();
        await using var first = await TransportWsClient.InitializedAsync(_host, admin);
        await using var second = await TransportWsClient.InitializedAsync(_host, admin);
        await first.SubscribeAsync("a", NotificationReceived);
        await first.SubscribeAsync("b", NotificationReceived);
        await WaitForSubscribersAsync(admin.TenantId, 2);

        await second.SubscribeAsync("c", NotificationReceived);
        var refused = (await second.ReceiveAsync())!;
        Assert.Equal(("error", "c"), (refused["type"]!.GetValue<string>(), refused["id"]!.GetValue<string>()));
        Assert.Equal("TOO_MANY_SUBSCRIPTIONS", refused["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());

        // Completing one gives its place back, to any of the key's connections.
        await first.SendAsync(new { id = "a", type = "complete" });
        await WaitForSubscribersAsync(admin.TenantId, 1, exactly: true);
        await second.SubscribeAsync("d", NotificationReceived);
        await WaitForSubscribersAsync(admin.TenantId, 2);
        Assert.Equal(2, _host.Service<NotificationHub>().Count(admin.TenantId));
    }

    private Task WaitForSubscribersAsync(string tenantId, int count, bool exactly = false) =>
        TransportWsClient.UntilAsync(() => _host.Service<NotificationHub>().Count(tenantId) is var held && (exactly ? held == count : held >= count));
}
