using System.Text;
using CrmEngine.Testing.Messaging;
using MimeKit;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Bounces that come back later as delivery status notifications (RFC 3464): mail servers send them,
/// over a real SMTP connection into the host, about campaign mails the relay had accepted; the
/// returned Message-ID names the member. Permanent failures bounce at once, transient ones count.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class DsnBounceTests(MarketingHost fixture)
{
    private const string Send = "mutation($c: ID!) { sendCampaignEmail(campaignId: $c) { result { sent } " + MarketingTenant.Errors + " } }";

    [Fact]
    public async Task A_permanent_failure_report_bounces_the_member_and_is_on_the_timeline()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var (tenant, domain) = await new UnsubscribeHeaderTests(fixture).SetUpAsync(smtp);
        var campaign = await UnsubscribeHeaderTests.CampaignAsync(tenant, ("王芳", "wang.fang@xingchen.cn"), ("张伟", "zhang@xingchen.cn"));
        await tenant.Admin.MutateAsync(Send, new { c = campaign });
        var mails = (await smtp.WaitForAsync(2)).ToDictionary(m => m.To.Mailboxes.Single().Address);
        // The relay accepted both: the delivery check makes them delivered (once the outbox has noted it).
        for (var minute = 1; minute < 50 && (await StatusesAsync(tenant, campaign)).Any(s => s != "delivered"); minute++)
        {
            await Task.Delay(100);
            await fixture.Host.RunDueJobsAsync(DateTime.UtcNow.AddMinutes(minute));
        }

        Assert.Equal(["delivered", "delivered"], await StatusesAsync(tenant, campaign));

        await fixture.SendAsync(Report(domain, mails["wang.fang@xingchen.cn"], "wang.fang@xingchen.cn", "failed", "5.1.1", "550 5.1.1 <wang.fang@xingchen.cn>: user unknown"));
        var wang = await MemberAsync(tenant, campaign, "王芳");
        Assert.Equal(("bounced", "bounced", "5.1.1 550 5.1.1 <wang.fang@xingchen.cn>: user unknown"), (wang["memberStatus"].Str(), wang["deliveryStatus"].Str(), wang["deliveryError"].Str()));
        var timeline = (await tenant.ReadAsync("contact", wang["contact"]!["id"].Str(), "marketingInteractions { nodes { kind detail campaign { name } } }"))["marketingInteractions"]!["nodes"]!.AsArray();
        Assert.Equal(("bounced", "5.1.1 550 5.1.1 <wang.fang@xingchen.cn>: user unknown", "会员通讯"), (timeline.Single()!["kind"].Str(), timeline.Single()!["detail"].Str(), timeline.Single()!["campaign"]!["name"].Str()));
        Assert.Equal("delivered", (await MemberAsync(tenant, campaign, "张伟"))["memberStatus"].Str());
    }

    [Fact]
    public async Task Transient_failure_reports_are_recorded_and_bounce_the_member_only_at_the_limit()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var (tenant, domain) = await new UnsubscribeHeaderTests(fixture).SetUpAsync(smtp);
        var campaign = await UnsubscribeHeaderTests.CampaignAsync(tenant, ("李娜", "li.na@xingchen.cn"));
        await tenant.Admin.MutateAsync(Send, new { c = campaign });
        var mail = (await smtp.WaitForAsync(1)).Single();

        // softBounceLimit is 3 by default: two reports are recorded, the member stays sent.
        for (var i = 0; i < 2; i++)
        {
            await fixture.SendAsync(Report(domain, mail, "li.na@xingchen.cn", "delayed", "4.2.2", "452 4.2.2 mailbox full"));
        }

        var li = await MemberAsync(tenant, campaign, "李娜");
        Assert.Equal("sent", li["memberStatus"].Str());
        Assert.Equal(["softBounced", "softBounced"], Kinds(li));

        // The same report delivered again (same Message-ID) is taken once; a report of success, or of another message, changes nothing.
        var third = Report(domain, mail, "li.na@xingchen.cn", "failed", "4.4.7", "message expired");
        await fixture.SendAsync(Report(domain, mail, "li.na@xingchen.cn", "delivered", "2.0.0", "250 ok"));
        var stranger = Report(domain, mail, "li.na@xingchen.cn", "failed", "5.1.1", "550 user unknown");
        stranger.Body = Rebuilt(stranger, $"<{Guid.CreateVersion7():N}@crmengine>");
        await fixture.SendAsync(stranger);
        Assert.Equal("sent", (await MemberAsync(tenant, campaign, "李娜"))["memberStatus"].Str());

        // The third transient failure reaches the limit: the member bounces, with the count in the error.
        await fixture.SendAsync(third);
        await fixture.SendAsync(third);
        li = await MemberAsync(tenant, campaign, "李娜");
        Assert.Equal(("bounced", "3 soft bounces; last: 4.4.7 message expired"), (li["memberStatus"].Str(), li["deliveryError"].Str()));
        Assert.Equal(["softBounced", "softBounced", "bounced"], Kinds(li));
    }

    [Fact]
    public async Task Mail_that_is_not_a_report_about_a_campaign_mail_changes_nothing()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var (tenant, domain) = await new UnsubscribeHeaderTests(fixture).SetUpAsync(smtp);
        var campaign = await UnsubscribeHeaderTests.CampaignAsync(tenant, ("赵磊", "zhao.lei@hengtong.cn"));
        await tenant.Admin.MutateAsync(Send, new { c = campaign });
        var mail = (await smtp.WaitForAsync(1)).Single();

        // A plain reply quoting the subject, and a report whose returned headers name a message of another system.
        await fixture.SendAsync(new MimeMessage([MailboxAddress.Parse("zhao.lei@hengtong.cn")], [MailboxAddress.Parse($"marketing@{domain}")], "Re: " + mail.Subject, new TextPart("plain") { Text = "收到" }) { InReplyTo = mail.MessageId });
        var foreign = Report(domain, mail, "zhao.lei@hengtong.cn", "failed", "5.1.1", "550 user unknown");
        foreign.Body = Rebuilt(foreign, "<abc123@mail.example.net>");
        await fixture.SendAsync(foreign);

        Assert.Equal("sent", (await MemberAsync(tenant, campaign, "赵磊"))["memberStatus"].Str());
        Assert.Equal(0, await tenant.CountAsync("marketingInteractions"));
    }

    /// <summary>
    /// A delivery status notification as a mail server writes it (RFC 3464), parsed by MimeKit: a
    /// human-readable part, the machine-readable status, and the original message's headers.
    /// </summary>
    private static MimeMessage Report(string domain, MimeMessage original, string recipient, string action, string status, string diagnostic)
    {
        var raw = $"""
            From: Mail Delivery System <MAILER-DAEMON@mx.xingchen.cn>
            To: marketing@{domain}
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <{Guid.NewGuid():N}@mx.xingchen.cn>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: text/plain; charset=us-ascii

            I'm sorry to have to inform you that your message could not be delivered.

            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.xingchen.cn
            Arrival-Date: Mon, 7 Dec 2026 10:00:00 +0800

            Final-Recipient: rfc822; {recipient}
            Original-Recipient: rfc822;{recipient}
            Action: {action}
            Status: {status}
            Diagnostic-Code: smtp; {diagnostic}

            --B
            Content-Type: text/rfc822-headers

            From: {original.From}
            To: {recipient}
            Subject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(original.Subject ?? string.Empty))}?=
            Message-ID: <{original.MessageId}>

            --B--

            """;
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.Replace("\n", "\r\n", StringComparison.Ordinal))));
    }

    /// <summary>The report's body with its returned Message-ID replaced by <paramref name="messageId"/>.</summary>
    private static MimeEntity Rebuilt(MimeMessage report, string messageId)
    {
        using var stream = new MemoryStream();
        report.WriteTo(stream);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        var start = text.LastIndexOf("Message-ID: <", StringComparison.Ordinal);
        var end = text.IndexOf('>', start);
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text[..start] + "Message-ID: " + messageId + text[(end + 1)..]))).Body!;
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> MemberAsync(MarketingTenant tenant, string campaign, string name)
    {
        var members = (await tenant.ReadAsync("campaign", campaign, "members { nodes { memberStatus deliveryStatus deliveryError contact { id name } marketingInteractions { nodes { kind occurredAt } } } }"))["members"]!["nodes"]!.AsArray();
        return members.Single(m => m!["contact"]!["name"].Str() == name)!;
    }

    private static string[] Kinds(System.Text.Json.Nodes.JsonNode member) =>
        [.. member["marketingInteractions"]!["nodes"]!.AsArray().Select(i => (Time: i!["occurredAt"]!.GetValue<DateTime>(), Kind: i["kind"].Str())).OrderBy(i => i.Time).Select(i => i.Kind)];

    private static async Task<string[]> StatusesAsync(MarketingTenant tenant, string campaign) =>
        [.. (await tenant.ReadAsync("campaign", campaign, "members { nodes { memberStatus } }"))["members"]!["nodes"]!.AsArray().Select(m => m!["memberStatus"].Str())];
}
