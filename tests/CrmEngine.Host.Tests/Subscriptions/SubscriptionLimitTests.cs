using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Subscriptions;

/// <summary>
/// A host with a one-second connection_init timeout and room for two waiting messages per
/// connection: a silent client is closed with 4408, and a client that stops reading is dropped
/// (1013) while another subscriber of the same changes receives every one of them.
/// </summary>
public sealed class SubscriptionLimitTests : IDisposable
{
    private readonly CrmHost _host = new(settings: new Dictionary<string, string?>
    {
        ["Crm:Subscriptions:ConnectionInitTimeout"] = "00:00:01",
        ["Crm:Subscriptions:QueueCapacity"] = "2",
        // The 100 KB updates are expensive requests; on a busy machine thirty of them outrun the
        // default time budget, which is not what these tests are about.
        ["Crm:Endpoint:Expensive:CallerTime:PerSecond"] = "00:00:10",
        ["Crm:Endpoint:Expensive:TenantTime:PerSecond"] = "00:00:10",
    });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_connection_without_connection_init_in_time_is_closed_with_4408()
    {
        await using var client = await TransportWsClient.ConnectAsync(_host);
        Assert.Equal(4408, await client.ClosedAsync());
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_without_holding_back_another()
    {
        using var admin = await _host.NewTenantAsync();
        await admin.MutateAsync(CreateEntity, new { input = new { name = "memo", labels = Labels("Memo", "备忘"), fields = new[] { Field("body", "LONG_TEXT") } } });
        var memo = (await admin.MutateAsync("mutation { createMemo(input: { body: \"x\" }) { memo { id } userErrors { code message } } }"))["memo"]!["id"]!.GetValue<string>();

        // The slow client asks for the memo's body 60 times over: megabytes per event, which it never reads.
        var bodies = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"b{i}: memo {{ body }}"));
        await using var slow = await TransportWsClient.InitializedAsync(_host, admin);
        await slow.SubscribeAsync("slow", $"subscription {{ memoChanged {{ {bodies} }} }}");
        await using var fast = await TransportWsClient.InitializedAsync(_host, admin);
        await fast.SubscribeAsync("fast", "subscription { memoChanged { kind memo { version } } }");
        var hub = _host.Service<CrmEngine.GraphQL.Subscriptions.RecordChangeHub>();
        while (hub.Count(admin.TenantId) < 2)
        {
            await Task.Delay(20);
        }

        const int changes = 30;
        var body = new string('m', 100_000);
        for (var i = 0; i < changes; i++)
        {
            await admin.MutateAsync("mutation($id: ID!, $body: String) { updateMemo(id: $id, input: { body: $body }) { memo { id } userErrors { code message } } }", new { id = memo, body = body[..^(i + 1)] });
            // The fast client keeps up with every change, whatever the slow one does. The memo's creation
            // may reach the subscribers after they subscribed (its after stage runs in the background),
            // and an event carries the record as it is when delivered: a late one can show the version a
            // later change made, so the change after it arrives as a second event of that version. Read
            // until this change's version: never more, as the next change is not made yet.
            var version = 0;
            while (version < i + 2)
            {
                version = (await fast.NextAsync("fast"))["memoChanged"]!["memo"]!["version"]!.GetValue<int>();
            }

            Assert.Equal(i + 2, version);
        }

        Assert.Equal(1013, await slow.ClosedAsync());
        Assert.Equal(1, hub.Count(admin.TenantId));
    }
}
