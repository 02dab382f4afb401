using CrmEngine.Host.Tests.Plugins;
using CrmEngine.Testing.Messaging;
using static CrmEngine.Host.Tests.Messaging.MessagingQueries;

namespace CrmEngine.Host.Tests.Messaging;

/// <summary>A plugin queuing messages through the SDK's IMessaging (TestPlugins.Probe's probeMessage), in its mutation's transaction.</summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginMessagingTests(PluginHostFixture fixture)
{
    private const string ProbeMessage = "mutation($name: String!, $to: String!, $purpose: String!, $fail: Boolean) { probeMessage(name: $name, to: $to, purpose: $purpose, fail: $fail) { result userErrors { code message } } }";

    [Fact]
    public async Task A_message_queued_by_a_mutation_that_rolls_back_is_never_sent_and_one_that_commits_is_sent_once()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await fixture.TenantWithAsync("probe");
        await UseSmtpAsync(client, smtp.Port);

        var refused = (await client.QueryAsync(ProbeMessage, new { name = "rolled back", to = "gone@example.cn", purpose = "service", fail = true }))["probeMessage"]!;
        var badPurpose = (await client.QueryAsync(ProbeMessage, new { name = "bad", to = "bad@example.cn", purpose = "Not A Purpose" }))["probeMessage"]!;
        var committed = await client.MutateAsync(ProbeMessage, new { name = "kept", to = "kept@example.cn", purpose = "service" });
        var mails = await smtp.WaitForAsync(1);
        var log = (await client.EventuallyAsync("{ messages { recipient status subject } }", d => d["messages"]!.AsArray().All(m => S(m!["status"]) == "SENT")))["messages"]!.AsArray();

        Assert.Equal("PROBE_REFUSED", S(refused["userErrors"]![0]!["code"]));
        Assert.Equal("INVALID_VALUE", S(badPurpose["userErrors"]![0]!["code"]));
        Assert.NotNull(committed["result"]);
        Assert.Equal([("kept@example.cn", "SENT", "Probe kept")], log.Select(m => (S(m!["recipient"]), S(m["status"]), S(m["subject"]))));
        Assert.Equal(["kept@example.cn"], mails.Select(m => m.To.Mailboxes.Single().Address));
        Assert.Equal(["kept"], (await client.QueryAsync("{ probeItems(first: 10) { edges { node { name } } } }"))["probeItems"]!["edges"]!.AsArray().Select(e => S(e!["node"]!["name"])));
    }
}
