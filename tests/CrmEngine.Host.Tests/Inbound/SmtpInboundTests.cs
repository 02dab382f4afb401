using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MimeKit;
using static CrmEngine.Host.Tests.Inbound.InboundHostFixture;

namespace CrmEngine.Host.Tests.Inbound;

/// <summary>E-mail sent with a real SMTP client (MailKit) to the host's listener: parsed into a plugin's event once, or refused with nothing stored.</summary>
[Collection(InboundHostGroup.Name)]
public sealed class SmtpInboundTests(InboundHostFixture fixture)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    [Fact]
    public async Task A_mail_to_a_tenants_domain_reaches_its_plugin_parsed_with_sanitized_html_threading_and_stored_attachments()
    {
        var domain = Domain();
        using var client = await fixture.TenantAsync(domain);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("王小明", "wang@customer.cn"));
        message.To.Add(new MailboxAddress("Support", "support@" + domain));
        message.Cc.Add(new MailboxAddress(null, "Team@" + domain));
        message.Subject = "订单 #42 有问题";
        message.MessageId = "reply-2@customer.cn";
        message.InReplyTo = "case-1@crm.example";
        message.References.Add("case-0@crm.example");
        message.References.Add("case-1@crm.example");
        var body = new BodyBuilder
        {
            TextBody = "纯文本正文",
            HtmlBody = "<p>您好 <b>客服</b><script>alert(1)</script><a href=\"javascript:steal()\">x</a></p>",
        };
        body.Attachments.Add("notes.txt", Encoding.UTF8.GetBytes("line one, line two"), new ContentType("text", "plain"));
        body.Attachments.Add("photo.png", Png, new ContentType("image", "png"));
        body.Attachments.Add("tool.exe", [.. "MZ"u8, 0, 1, 2, 3], new ContentType("application", "octet-stream"));
        message.Body = body.ToMessageBody();

        await fixture.SendAsync(message);
        var (log, notes) = await ReceivedAsync(client, 1);

        var note = Assert.Single(notes)!;
        Assert.Equal(("订单 #42 有问题", "王小明 <wang@customer.cn>", "reply-2@customer.cn", "case-1@crm.example", "case-0@crm.example case-1@crm.example", "Smtp"),
            (S(note["subject"]), S(note["sender"]), S(note["messageId"]), S(note["inReplyTo"]), S(note["thread"]), S(note["source"])));
        Assert.Equal($"support@{domain},cc:Team@{domain},to:support@{domain},to:team@{domain}", S(note["recipients"]));
        Assert.Equal("纯文本正文", S(note["body"]));
        Assert.Contains("<b>客服</b>", S(note["html"]));
        Assert.DoesNotContain("script", S(note["html"]));
        Assert.DoesNotContain("javascript", S(note["html"]));
        Assert.Equal("notes.txt|text/plain|18|stored,photo.png|image/png|20|stored,tool.exe|application/octet-stream|6|refused", S(note["attachmentList"]));
        Assert.Equal(["notes.txt:text/plain:18", "photo.png:image/png:20"],
            note["files"]!.AsArray().Select(f => $"{S(f!["name"])}:{S(f["contentType"])}:{f["size"]!.GetValue<long>()}").Order());
        var entry = Assert.Single(log)!;
        Assert.Equal(("reply-2@customer.cn", "SMTP", "wang@customer.cn", 3, 1), (S(entry["messageId"]), S(entry["source"]), S(entry["from"]), entry["attachments"]!.GetValue<int>(), entry["handlers"]!.GetValue<int>()));
        Assert.Null(entry["handlerErrors"]);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_is_one_event_and_one_log_entry()
    {
        var domain = Domain();
        using var client = await fixture.TenantAsync(domain);

        await fixture.SendAsync(Mail("sales@" + domain, "First delivery", "same-1@customer.cn"));
        await fixture.SendAsync(Mail("sales@" + domain, "Retried delivery", "same-1@customer.cn"));
        await fixture.SendAsync(Mail("other@" + domain, "Next", "next-1@customer.cn"));
        var (log, notes) = await ReceivedAsync(client, 2);

        Assert.Equal(["First delivery", "Next"], notes.Select(n => S(n!["subject"])).Order());
        Assert.Equal(["next-1@customer.cn", "same-1@customer.cn"], log.Select(e => S(e!["messageId"])).Order());
    }

    [Fact]
    public async Task Mail_for_a_domain_no_tenant_accepts_is_refused_at_rcpt_and_nothing_is_stored()
    {
        var domain = Domain();
        using var client = await fixture.TenantAsync(domain);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => fixture.SendAsync(Mail("someone@" + Domain(), "Nobody's")));

        Assert.Equal((SmtpErrorCode.RecipientNotAccepted, 550), (refused.ErrorCode, (int)refused.StatusCode));
        Assert.Equal((0, 0), await StoredAsync(fixture.Host, client.TenantId));
    }

    [Fact]
    public async Task An_oversized_mail_is_refused_with_552_and_nothing_is_stored()
    {
        var domain = Domain();
        using var client = await fixture.TenantAsync(domain);
        var big = Mail("support@" + domain, "Too big");
        var body = new BodyBuilder { TextBody = "see attached" };
        body.Attachments.Add("big.txt", Encoding.ASCII.GetBytes(new string('x', MaxMessageBytes)), new ContentType("text", "plain"));
        big.Body = body.ToMessageBody();

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => fixture.SendAsync(big));

        Assert.Equal(552, (int)refused.StatusCode);
        Assert.Equal((0, 0), await StoredAsync(fixture.Host, client.TenantId));
    }

    [Fact]
    public async Task A_mail_without_a_sender_and_bytes_that_are_no_message_are_refused_with_554_and_nothing_is_stored()
    {
        var domain = Domain();
        using var client = await fixture.TenantAsync(domain);
        var anonymous = Mail("support@" + domain, "Who sent this?");
        anonymous.From.Clear();

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", fixture.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        var noSender = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.SendAsync(anonymous, new MailboxAddress(null, "bounce@customer.cn"), [MailboxAddress.Parse("support@" + domain)]));
        var garbage = await RawDataAsync(fixture.SmtpPort, "support@" + domain, "\u0001\u0002 this is not a message\r\n\u0000\u0000\r\n");

        Assert.Equal(554, (int)noSender.StatusCode);
        Assert.StartsWith("554", garbage);
        Assert.Equal((0, 0), await StoredAsync(fixture.Host, client.TenantId));
    }

    [Fact]
    public async Task A_failing_handler_is_written_down_on_the_log_entry_and_the_mail_is_still_taken_once()
    {
        var domain = Domain();
        using var client = await fixture.TenantAsync(domain);

        await fixture.SendAsync(Mail("support@" + domain, "explode", "explode-1@customer.cn"));
        await fixture.SendAsync(Mail("support@" + domain, "explode", "explode-1@customer.cn"));
        var log = (await client.EventuallyAsync(Log, d => d["inboundMessages"]!.AsArray().Count == 1 && d["inboundMessages"]![0]!["handlerErrors"] is not null))["inboundMessages"]!.AsArray();

        Assert.StartsWith("mailroom: ", S(Assert.Single(log)!["handlerErrors"]));
        Assert.Equal((1, 0), await StoredAsync(fixture.Host, client.TenantId));
    }

    [Fact]
    public async Task A_domain_routes_to_one_tenant_and_another_tenants_claim_on_it_is_refused_with_nothing_saved()
    {
        var domain = Domain();
        using var owner = await fixture.TenantAsync(domain);
        using var other = await fixture.Host.NewTenantAsync();

        var taken = (await other.QueryAsync(SetSettings, new { input = new { domains = new[] { domain.ToUpperInvariant() }, addresses = new[] { "not an address" } } }))["setInboundMailSettings"]!;
        var settings = (await owner.QueryAsync("{ inboundMailSettings { domains addresses imapEnabled hasImapPassword imapFolder } }"))["inboundMailSettings"]!;

        Assert.Equal(["addresses:INVALID_VALUE", "domains:NAME_TAKEN"], taken["userErrors"]!.AsArray().Select(e => $"{S(e!["field"])}:{S(e["code"])}").Order());
        Assert.Equal($"{{\"domains\":[\"{domain}\"],\"addresses\":[],\"imapEnabled\":false,\"hasImapPassword\":false,\"imapFolder\":\"INBOX\"}}", settings.ToJsonString());
        Assert.Empty((await other.QueryAsync("{ inboundMailSettings { domains } }"))["inboundMailSettings"]!["domains"]!.AsArray());
    }

    /// <summary>Speaks SMTP by hand to send bytes no client library would; the reply to the end of DATA.</summary>
    private static async Task<string> RawDataAsync(int port, string to, string data)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await reader.ReadLineAsync();
        await writer.WriteLineAsync("HELO test");
        await reader.ReadLineAsync();
        await writer.WriteLineAsync("MAIL FROM:<raw@customer.cn>");
        await reader.ReadLineAsync();
        await writer.WriteLineAsync($"RCPT TO:<{to}>");
        await reader.ReadLineAsync();
        await writer.WriteLineAsync("DATA");
        await reader.ReadLineAsync();
        await writer.WriteAsync(data + ".\r\n");
        return await reader.ReadLineAsync() ?? string.Empty;
    }

    private static string Domain() => $"t{Guid.NewGuid():N}"[..12] + ".example";

    private static string S(System.Text.Json.Nodes.JsonNode? node) => node?.GetValue<string>() ?? string.Empty;
}
