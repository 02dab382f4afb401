using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Inbound.Imap;
using MimeKit;
using static CrmEngine.Host.Tests.Inbound.InboundHostFixture;

namespace CrmEngine.Host.Tests.Inbound;

/// <summary>A tenant's mailbox on a real IMAP server (Dovecot) polled by the host: each message taken once, its position kept, refusals skipped.</summary>
[Collection(InboundHostGroup.Name)]
public sealed class ImapInboundTests(InboundHostFixture fixture, LoopbackImapServer imap) : IClassFixture<LoopbackImapServer>
{
    private const string Settings = "{ inboundMailSettings { imapLastUid imapError imapPolledAt hasImapPassword } }";

    [Fact]
    public async Task Mail_in_a_tenants_mailbox_reaches_its_plugin_once_later_mail_on_a_later_poll_and_oversized_mail_is_skipped()
    {
        var user = User();
        using var client = await fixture.TenantAsync();
        var first = Mail(user, "First", "imap-1@customer.cn");
        first.InReplyTo = "case-9@crm.example";
        await imap.DeliverAsync(user, first, Mail(user, "Second", "imap-2@customer.cn"));

        await UseMailboxAsync(client, user, LoopbackImapServer.Password);
        var (_, notes) = await ReceivedAsync(client, 2);
        var big = Mail(user, "Too big", "imap-big@customer.cn");
        big.Body = new TextPart("plain") { Text = new string('x', MaxMessageBytes) };
        await imap.DeliverAsync(user, Mail(user, "Second again", "imap-2@customer.cn"), big, Mail(user, "Third", "imap-3@customer.cn"));
        var settings = await client.EventuallyAsync(Settings, d => d["inboundMailSettings"]!["imapLastUid"]!.GetValue<long>() == 5);
        var (log, later) = await ReceivedAsync(client, 3);

        Assert.Equal([("First", "case-9@crm.example", "Imap"), ("Second", "", "Imap")], notes.Select(n => (S(n!["subject"]), S(n["inReplyTo"]), S(n["source"]))).OrderBy(n => n.Item1));
        Assert.Equal(["First", "Second", "Third"], later.Select(n => S(n!["subject"])).Order());
        Assert.Equal(["imap-1@customer.cn", "imap-2@customer.cn", "imap-3@customer.cn"], log.Select(e => S(e!["messageId"])).Order());
        Assert.All(log, e => Assert.Equal(("IMAP", user), (S(e!["source"]), S(e["deliveredTo"]![0]))));
        Assert.Null(settings["inboundMailSettings"]!["imapError"]);
        Assert.Equal((3, 0), await StoredAsync(fixture.Host, client.TenantId));
    }

    [Fact]
    public async Task A_wrong_password_is_reported_on_the_settings_and_nothing_is_taken()
    {
        var user = User();
        using var client = await fixture.TenantAsync();
        await imap.DeliverAsync(user, Mail(user, "Unread", "imap-locked@customer.cn"));

        await UseMailboxAsync(client, user, "wrong");
        var settings = (await client.EventuallyAsync(Settings, d => d["inboundMailSettings"]!["imapError"] is not null))["inboundMailSettings"]!;

        Assert.StartsWith("IMAP: ", S(settings["imapError"]));
        Assert.Equal((0L, true), (settings["imapLastUid"]!.GetValue<long>(), settings["hasImapPassword"]!.GetValue<bool>()));
        Assert.Equal((0, 0), await StoredAsync(fixture.Host, client.TenantId));
    }

    [Fact]
    public void A_poll_takes_the_uids_above_the_last_one_handled_and_starts_over_when_the_folder_is_renumbered()
    {
        var recorded = new ImapPosition(UidValidity: 7, LastUid: 4);

        var same = ImapWindow.Select(recorded, 7, [4, 6, 5, 6]);
        var highestOnly = ImapWindow.Select(recorded, 7, [4]);
        var renumbered = ImapWindow.Select(recorded, 8, [2, 1, 3]);

        Assert.Equal([5L, 6L], same.Take);
        Assert.Equal(recorded, same.From);
        Assert.Empty(highestOnly.Take);
        Assert.Equal([1L, 2L, 3L], renumbered.Take);
        Assert.Equal(new ImapPosition(8, 0), renumbered.From);
    }

    private async Task UseMailboxAsync(TenantClient client, string user, string password) =>
        await client.MutateAsync(SetSettings, new
        {
            input = new { imapEnabled = true, imapHost = "127.0.0.1", imapPort = imap.Port, imapTlsMode = "NONE", imapUsername = user, imapPassword = password, imapFolder = "INBOX" },
        });

    private static string User() => $"u{Guid.NewGuid():N}"[..12] + "@mail.example";

    private static string S(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;
}
