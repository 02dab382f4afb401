using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using static CrmEngine.Host.Tests.Inbound.InboundHostFixture;

namespace CrmEngine.Host.Tests.Inbound;

/// <summary>Two hosts on one PostgreSQL database receive the same mail: each message is one event.</summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsInboundTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());
    private readonly string _plugins = PluginFolders.NewTemporary("crm-inbound-hosts");

    public SeveralHostsInboundTests() =>
        PluginFolders.Copy(Path.Combine(PluginFolders.Built, "TestPlugins.Mailroom"), Path.Combine(_plugins, "TestPlugins.Mailroom"));

    public void Dispose()
    {
        _hosts.Dispose();
        PluginFolders.TryDelete(_plugins);
    }

    [PostgresFact]
    public async Task The_same_messages_sent_to_both_hosts_listeners_at_once_are_each_one_event()
    {
        var ports = ChildProcess.FreePorts(2);
        var first = _hosts.Start(Settings(_plugins, ports[0]));
        var second = _hosts.Start(Settings(_plugins, ports[1]));
        using var client = await TenantOnAsync(first, "both.example");
        using var other = second.Client(client.TenantId, client.Key);

        await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(i => ports.Select(port => SendAsync(port, Mail("support@both.example", $"Mail {i}", $"both-{i}@customer.cn")))));
        var (log, notes) = await ReceivedAsync(other, 10);
        await Task.Delay(300);

        Assert.Equal(10, notes.Count);
        Assert.Equal(10, log.Select(e => S(e!["messageId"])).Distinct().Count());
        Assert.Equal(10, (await other.QueryAsync(Notes))["mailNotes"]!["nodes"]!.AsArray().Count);
    }

    [PostgresFact]
    public async Task Two_hosts_polling_one_mailbox_take_each_message_once()
    {
        using var imap = new LoopbackImapServer();
        var ports = ChildProcess.FreePorts(2);
        var first = _hosts.Start(Settings(_plugins, ports[0]));
        var second = _hosts.Start(Settings(_plugins, ports[1]));
        using var client = await TenantOnAsync(first);
        using var other = second.Client(client.TenantId, client.Key);
        const string user = "shared@mail.example";
        await imap.DeliverAsync(user, [.. Enumerable.Range(0, 10).Select(i => Mail(user, $"Polled {i}", $"polled-{i}@customer.cn"))]);

        await client.MutateAsync(SetSettings, new { input = new { imapEnabled = true, imapHost = "127.0.0.1", imapPort = imap.Port, imapTlsMode = "NONE", imapUsername = user, imapPassword = LoopbackImapServer.Password } });
        await imap.DeliverAsync(user, [.. Enumerable.Range(10, 10).Select(i => Mail(user, $"Polled {i}", $"polled-{i}@customer.cn"))]);
        var (log, notes) = await ReceivedAsync(other, 20);
        await other.EventuallyAsync("{ inboundMailSettings { imapLastUid } }", d => d["inboundMailSettings"]!["imapLastUid"]!.GetValue<long>() == 20, timeout: TimeSpan.FromMinutes(1));
        await Task.Delay(500);

        Assert.Equal(20, notes.Count);
        Assert.Equal(20, log.Count);
        Assert.Equal(20, (await client.QueryAsync(Notes))["mailNotes"]!["nodes"]!.AsArray().Count);
    }

    private static string S(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;
}
