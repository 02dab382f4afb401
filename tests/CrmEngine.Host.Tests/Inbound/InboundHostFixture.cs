using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files.Storage;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Inbound.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CrmEngine.Host.Tests.Inbound;

/// <summary>
/// A host whose SMTP listener is on (a loopback port picked here, a 64 KB message limit), with the
/// mailroom test plugin installed: it files every inbound e-mail as a mail note.
/// </summary>
public sealed class InboundHostFixture : IDisposable
{
    public const int MaxMessageBytes = 64 * 1024;

    public InboundHostFixture()
    {
        PluginDirectory = PluginFolders.NewTemporary("crm-inbound-tests");
        PluginFolders.Copy(Path.Combine(PluginFolders.Built, "TestPlugins.Mailroom"), Path.Combine(PluginDirectory, "TestPlugins.Mailroom"));
        SmtpPort = FreePort();
        Host = new CrmHost(settings: Settings(PluginDirectory, SmtpPort));
    }

    public string PluginDirectory { get; }

    public int SmtpPort { get; }

    public CrmHost Host { get; }

    /// <summary>A host's settings: its listener on <paramref name="port"/>, the mailroom plugin in <paramref name="plugins"/>.</summary>
    public static Dictionary<string, string?> Settings(string plugins, int port) => new()
    {
        ["Crm:PluginDirectory"] = plugins,
        ["Crm:JobsEnabled"] = "false",
        ["Crm:Inbound:Smtp:Enabled"] = "true",
        ["Crm:Inbound:Smtp:Address"] = "127.0.0.1",
        ["Crm:Inbound:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Crm:Inbound:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Crm:Inbound:ImapPollInterval"] = "00:00:00.200",
    };

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A new tenant with the mailroom plugin enabled, accepting mail for <paramref name="domains"/>.</summary>
    public async Task<TenantClient> TenantAsync(params string[] domains) => await TenantOnAsync(Host, domains);

    public static async Task<TenantClient> TenantOnAsync(CrmHost host, params string[] domains)
    {
        var client = await host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"mailroom\") { userErrors { code message } } }");
        await client.MutateAsync(SetSettings, new { input = new { domains } });
        return client;
    }

    public const string SetSettings = "mutation($input: InboundMailSettingsInput!) { setInboundMailSettings(input: $input) { settings { domains addresses imapEnabled imapHost imapPort imapTlsMode imapUsername hasImapPassword imapFolder } userErrors { field code message } } }";

    public const string Log = "{ inboundMessages { messageId source from deliveredTo subject inReplyTo references size attachments handlers handlerErrors } }";

    public const string Notes = "{ mailNotes(first: 50) { nodes { subject sender messageId inReplyTo thread recipients source body html attachmentList files { name contentType size } } } }";

    /// <summary>Sends <paramref name="message"/> to the listener on <paramref name="port"/> with MailKit, as a mail server would.</summary>
    public static async Task SendAsync(int port, MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    public Task SendAsync(MimeMessage message) => SendAsync(SmtpPort, message);

    /// <summary>
    /// The log entries and mail notes of a tenant, once there are <paramref name="count"/> notes (or a
    /// minute has passed: mail polled by host processes on a loaded machine can take longer than the
    /// usual 15 seconds, and the assertions after this say what arrived).
    /// </summary>
    public static async Task<(JsonArray Log, JsonArray Notes)> ReceivedAsync(TenantClient client, int count)
    {
        var notes = (await client.EventuallyAsync(Notes, d => d["mailNotes"]!["nodes"]!.AsArray().Count >= count, timeout: TimeSpan.FromMinutes(1)))["mailNotes"]!["nodes"]!.AsArray();
        var log = (await client.QueryAsync(Log))["inboundMessages"]!.AsArray();
        return (log, notes);
    }

    /// <summary>How many inbound log entries and files the tenant's store holds, read from the store itself.</summary>
    public static async Task<(int Messages, int Files)> StoredAsync(CrmHost host, string tenantId)
    {
        var store = await host.Service<TenantRegistry>().GetAsync(tenantId, CancellationToken.None);
        await using var context = store.CreateContext();
        return (await context.Set<InboundMessageRow>().CountAsync(), await context.Set<FileRow>().CountAsync());
    }

    /// <summary>A plain message from a customer to <paramref name="to"/>.</summary>
    public static MimeMessage Mail(string to, string subject, string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Li Lei", "li.lei@customer.cn"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("customer.cn");
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    public void Dispose()
    {
        Host.Dispose();
        PluginFolders.TryDelete(PluginDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class InboundHostGroup : ICollectionFixture<InboundHostFixture>
{
    public const string Name = "inbound host";
}
