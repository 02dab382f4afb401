using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using static CrmEngine.Host.Tests.Support.Schemas;
using static CrmEngine.Host.Tests.Webhooks.WebhookQueries;

namespace CrmEngine.Host.Tests.Webhooks;

/// <summary>Two hosts on one PostgreSQL database both send webhooks: each delivery is claimed, and sent, by one of them.</summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsWebhookTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());

    public void Dispose() => _hosts.Dispose();

    [PostgresFact]
    public async Task Changes_written_through_two_hosts_are_each_delivered_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var first = Host();
        var second = Host();
        using var one = await first.NewTenantAsync();
        using var two = second.Client(one.TenantId, one.Key);
        await DefineProjectsAsync(one);
        var (webhook, secret) = await CreateAsync(one, new { url = receiver.Url(), entity = "project", events = new[] { "CREATE" } });

        for (var i = 0; i < 20; i++)
        {
            await (i % 2 == 0 ? one : two).MutateAsync($"mutation {{ createProject(input: {{ title: \"项目{i}\" }}) {{ project {{ id }} userErrors {{ code }} }} }}");
        }

        var deliveries = await DeliveriesAsync(two, webhook, d => d.Count == 20 && d.All(x => S(x!["status"]) == "DELIVERED"));

        Assert.Equal(20, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(1, d!["attempts"]!.GetValue<int>()));
        var received = await receiver.WaitForAsync(20);
        Assert.Equal(20, received.Count);
        Assert.Equal(20, received.Select(r => r.Header("Idempotency-Key")).Distinct().Count());
        Assert.All(received, r => Assert.True(SignatureVerifies(secret, r)));
    }

    private CrmHost Host() => _hosts.Start(WebhookHostFixture.Settings);
}
