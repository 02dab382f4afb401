using System.Net;
using System.Text.RegularExpressions;
using CrmEngine.Testing.Messaging;
using MimeKit;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// One-click unsubscribe (RFC 2369, RFC 8058): every campaign mail, as the loopback SMTP server receives
/// it, names its signed unsubscribe URL and a mailto in <c>List-Unsubscribe</c>; a mail client's POST
/// to the URL unsubscribes without a page, and a mail to the mailbox from the recipient does too.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed partial class UnsubscribeHeaderTests(MarketingHost fixture)
{
    private const string Send = "mutation($c: ID!) { sendCampaignEmail(campaignId: $c) { result { sent } " + MarketingTenant.Errors + " } }";

    [Fact]
    public async Task A_mail_clients_one_click_post_unsubscribes_once_and_a_tampered_one_is_refused()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var (tenant, domain) = await SetUpAsync(smtp);
        var campaign = await CampaignAsync(tenant, ("张伟", "zhang@xingchen.cn"));
        var member = (await tenant.ReadAsync("campaign", campaign, "members { nodes { id } }"))["members"]!["nodes"]![0]!["id"].Str();
        Assert.Equal(1, (await tenant.Admin.MutateAsync(Send, new { c = campaign }))["result"]!["sent"].Int());

        var mail = (await smtp.WaitForAsync(1)).Single();
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var header = HeaderPattern().Match(mail.Headers["List-Unsubscribe"] ?? string.Empty);
        Assert.True(header.Success, mail.Headers["List-Unsubscribe"]);
        Assert.Equal($"unsubscribe@{domain}", header.Groups["mailbox"].Value);

        // The POST a mail client makes (RFC 8058): no page, the member is unsubscribed, the interaction recorded once.
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var path = header.Groups["path"].Value;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(path, OneClick())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(path, OneClick())).StatusCode);
        var read = await tenant.ReadAsync("campaignMember", member, "memberStatus marketingInteractions { nodes { kind } }");
        Assert.Equal("unsubscribed", read["memberStatus"].Str());
        Assert.Equal(["unsubscribed"], read["marketingInteractions"]!["nodes"]!.AsArray().Select(i => i!["kind"].Str()));

        // A tampered token, or another link's token on this route, is refused by the host.
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(path[..^3] + (path[^3..] == "AAA" ? "BBB" : "AAA"), OneClick())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(EmailTests.Url(mail.HtmlBody ?? string.Empty, "open").Replace("/open?", "/unsubscribe?", StringComparison.Ordinal), OneClick())).StatusCode);
        Assert.Equal(1, await tenant.CountAsync("marketingInteractions"));
    }

    [Fact]
    public async Task A_mail_to_the_unsubscribe_mailbox_from_the_recipient_unsubscribes_and_one_from_anyone_else_does_nothing()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var (tenant, domain) = await SetUpAsync(smtp);
        var campaign = await CampaignAsync(tenant, ("李娜", "li.na@xingchen.cn"));
        var member = (await tenant.ReadAsync("campaign", campaign, "members { nodes { id } }"))["members"]!["nodes"]![0]!["id"].Str();
        await tenant.Admin.MutateAsync(Send, new { c = campaign });
        var mail = (await smtp.WaitForAsync(1)).Single();
        var subject = Uri.UnescapeDataString(HeaderPattern().Match(mail.Headers["List-Unsubscribe"] ?? string.Empty).Groups["subject"].Value);
        Assert.StartsWith("unsubscribe ", subject, StringComparison.Ordinal);

        await fixture.SendAsync(Mail("someone.else@example.net", $"unsubscribe@{domain}", subject));
        await fixture.SendAsync(Mail("li.na@xingchen.cn", $"unsubscribe@{domain}", "unsubscribe " + Guid.CreateVersion7()));
        Assert.Equal("sent", (await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str());

        await fixture.SendAsync(Mail("Li.Na@xingchen.cn", $"unsubscribe@{domain}", subject));
        Assert.Equal("unsubscribed", (await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str());
        Assert.Equal(1, await tenant.CountAsync("marketingInteractions", "{ kind: { eq: \"unsubscribed\" } }"));
    }

    /// <summary>A tenant whose channel sends from, and whose inbound mail takes, a domain of its own, with an unsubscribe mailbox there.</summary>
    internal async Task<(MarketingTenant Tenant, string Domain)> SetUpAsync(LoopbackSmtpServer smtp)
    {
        var tenant = await fixture.TenantAsync();
        var domain = $"m{Guid.NewGuid():N}"[..12] + ".example.cn";
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        await tenant.TakeMailForAsync(domain);
        await tenant.Admin.MutateAsync(
            "mutation($v: [PluginSettingValue!]!) { setPluginSettings(plugin: \"marketing\", values: $v) { settings { name } userErrors { field code message } } }",
            new { v = new[] { new { name = "unsubscribeAddress", value = $"unsubscribe@{domain}" } } });
        await tenant.Admin.MutateAsync(
            "mutation($input: MessageChannelInput!) { setMessageChannel(input: $input) { settings { enabled } userErrors { field code message } } }",
            new { input = new { channel = "EMAIL", host = "127.0.0.1", port = smtp.Port, tlsMode = "NONE", fromAddress = $"市场部 <marketing@{domain}>" } });
        return (tenant, domain);
    }

    /// <summary>An active e-mail campaign with these people as contacts and members.</summary>
    internal static async Task<string> CampaignAsync(MarketingTenant tenant, params (string Name, string Email)[] people)
    {
        var campaign = await tenant.CampaignAsync("会员通讯", "email", new { emailSubject = "{{name}}，本月会员通讯", emailBody = "<p>您好</p>" });
        foreach (var (name, email) in people)
        {
            await tenant.MemberAsync(campaign, "contact", await tenant.IdAsync("Contact", new { name, email }));
        }

        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });
        return campaign;
    }

    private static FormUrlEncodedContent OneClick() => new([new KeyValuePair<string, string>("List-Unsubscribe", "One-Click")]);

    private static MimeMessage Mail(string from, string to, string subject) =>
        new([MailboxAddress.Parse(from)], [MailboxAddress.Parse(to)], subject, new TextPart("plain") { Text = "请退订 / Please unsubscribe me." }) { MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId() };

    [GeneratedRegex("^<https?://[^/>]+(?<path>/p/marketing/unsubscribe\\?token=[^>]+)>, <mailto:(?<mailbox>[^?>]+)\\?subject=(?<subject>[^>]+)>$")]
    private static partial Regex HeaderPattern();
}
