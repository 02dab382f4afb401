using System.Net;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Webhooks.Targets;
using Microsoft.Extensions.DependencyInjection;
using static CrmEngine.Host.Tests.Support.Schemas;
using static CrmEngine.Host.Tests.Webhooks.WebhookQueries;

namespace CrmEngine.Host.Tests.Webhooks;

/// <summary>A host with the default webhook settings: no loopback, no private networks.</summary>
public sealed class StrictWebhookHostFixture() : SharedHostFixture(new Dictionary<string, string?> { ["Crm:Webhooks:PollInterval"] = "00:00:00.100" });

/// <summary>
/// Server-side request forgery: a webhook may not point the engine at loopback, private, link-local
/// or unspecified addresses, neither when it is saved nor, after resolving the name again, when it is called.
/// </summary>
public sealed class WebhookTargetTests(StrictWebhookHostFixture fixture) : IClassFixture<StrictWebhookHostFixture>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.0.1/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("/relative/hook")]
    public async Task A_target_the_engine_may_not_reach_is_refused_with_a_typed_error_and_nothing_is_saved(string url)
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var payload = (await client.QueryAsync(Create, new { input = new { url, entity = "project", events = new[] { "CREATE" } } }))["createWebhook"]!;

        Assert.Null(payload["webhook"]);
        Assert.Null(payload["secret"]);
        Assert.Equal(("url", "WEBHOOK_TARGET_REFUSED"), (S(payload["userErrors"]![0]!["field"]), S(payload["userErrors"]![0]!["code"])));
        Assert.Empty((await client.QueryAsync("{ webhooks { id } }"))["webhooks"]!.AsArray());
    }

    [Fact]
    public async Task Moving_a_webhook_to_a_private_address_is_refused_and_it_keeps_its_target()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, _) = await CreateAsync(client, new { url = "http://93.184.216.34/hook", entity = "project", events = new[] { "CREATE" } });

        var payload = (await client.QueryAsync($"mutation {{ updateWebhook(id: \"{webhook}\", input: {{ url: \"http://192.168.0.1/hook\" }}) {{ webhook {{ url }} userErrors {{ field code }} }} }}"))["updateWebhook"]!;

        Assert.Equal("WEBHOOK_TARGET_REFUSED", S(payload["userErrors"]![0]!["code"]));
        Assert.Equal("http://93.184.216.34/hook", S((await client.QueryAsync($"{{ webhook(id: \"{webhook}\") {{ url }} }}"))["webhook"]!["url"]));
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_by_the_time_of_delivery_is_not_called()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var dns = new RebindingResolver();
        using var host = new CrmHost(settings: new Dictionary<string, string?> { ["Crm:Webhooks:PollInterval"] = "00:00:00.100" })
        {
            ConfigureTestServices = s => s.AddSingleton<ITargetResolver>(dns),
        };
        using var client = await host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, _) = await CreateAsync(client, new { url = $"http://hooks.example.com:{receiver.BaseAddress.Port}/hook", entity = "project", events = new[] { "CREATE" } });

        dns.Answer = IPAddress.Loopback;
        await client.MutateAsync("mutation { createProject(input: { title: \"重绑定\" }) { project { id } userErrors { code } } }");
        var delivery = (await DeliveriesAsync(client, webhook, d => d.Count == 1 && d[0]!["attempts"]!.GetValue<int>() >= 1)).Single()!;

        Assert.Null(delivery["lastStatusCode"]);
        Assert.Equal("The target's host 'hooks.example.com' resolves to a loopback address (127.0.0.1), which webhooks may not reach.", S(delivery["lastError"]));
        Assert.Empty(receiver.Received);
    }

    /// <summary>A DNS that gives a public address until the test rebinds the name.</summary>
    private sealed class RebindingResolver : ITargetResolver
    {
        public IPAddress Answer { get; set; } = IPAddress.Parse("93.184.216.34");

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult<IPAddress[]>([Answer]);
    }
}
