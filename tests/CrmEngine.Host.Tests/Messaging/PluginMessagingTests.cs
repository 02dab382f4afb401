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

    [Fact]
    public async Task A_plugins_extra_header_field_reaches_the_mail_and_one_the_service_writes_itself_or_spanning_lines_is_refused()
    {
        const string WithHeader = "mutation($name: String!, $to: String!, $header: String) { probeMessage(name: $name, to: $to, purpose: \"marketing\", header: $header) { result userErrors { field code message } } }";
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await fixture.TenantWithAsync("probe");
        await UseSmtpAsync(client, smtp.Port);

        foreach (var header in new[] { "From: boss@example.cn", "Content-Type: text/plain", "X-Crm-Message: 1", "X-Campaign: a\r\nBcc: spy@example.net", "Bad Name: x" })
        {
            var refused = (await client.QueryAsync(WithHeader, new { name = "refused", to = "refused@example.cn", header }))["probeMessage"]!;
            // The probe passes the messaging service's refusal on, under its own argument's name.
            Assert.Equal("INVALID_VALUE", S(refused["userErrors"]![0]!["code"]));
            Assert.Contains("header", S(refused["userErrors"]![0]!["message"]), StringComparison.Ordinal);
        }

        await client.MutateAsync(WithHeader, new { name = "kept", to = "kept@example.cn", header = "List-Unsubscribe: <https://crm.example.cn/u?t=1>" });
        var mail = (await smtp.WaitForAsync(1)).Single();
        Assert.Equal(("kept@example.cn", "<https://crm.example.cn/u?t=1>"), (mail.To.Mailboxes.Single().Address, mail.Headers["List-Unsubscribe"]));
        await Task.Delay(300);
        Assert.Equal(1, smtp.AcceptedCount);
    }
}
