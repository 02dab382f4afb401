using System.Net;
using System.Text.RegularExpressions;
using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// An e-mail campaign goes out through the engine's messaging to a real SMTP server on loopback, and
/// its signed open pixel, click and unsubscribe links move members along over real HTTP.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed partial class EmailTests(MarketingHost fixture)
{
    private const string Send = "mutation($c: ID!) { sendCampaignEmail(campaignId: $c) { result { sent skipped { code member { contact { name } } } } " + MarketingTenant.Errors + " } }";

    [Fact]
    public async Task Members_get_a_tracked_mail_and_opens_clicks_and_unsubscribes_come_back_over_signed_links()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await fixture.TenantAsync();
        await SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", email = "zhang@xingchen.cn" });
        var nomail = await tenant.IdAsync("Contact", new { name = "无邮箱" });
        var campaign = await tenant.CampaignAsync("新品发布邮件", "email", new { emailSubject = "新品发布 / New release", emailBody = "<p>{{name}}，您好！</p><p><a href=\"https://example.cn/offer?a=1&amp;b=2\">查看详情</a></p>" });
        var member = await tenant.MemberAsync(campaign, "contact", zhang);
        await tenant.MemberAsync(campaign, "contact", nomail);
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });

        var sent = (await tenant.Admin.MutateAsync(Send, new { c = campaign }))["result"]!;
        Assert.Equal(1, sent["sent"].Int());
        Assert.Equal(("NO_RECIPIENT_ADDRESS", "无邮箱"), (sent["skipped"]![0]!["code"].Str(), sent["skipped"]![0]!["member"]!["contact"]!["name"].Str()));
        Assert.Equal("sent", await StatusAsync(tenant, member));

        var mail = (await smtp.WaitForAsync(1)).Single();
        Assert.Equal(("zhang@xingchen.cn", "新品发布 / New release"), (mail.To.Mailboxes.Single().Address, mail.Subject));
        Assert.Contains("<p>张伟，您好！</p>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("https://example.cn/offer", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"src=\"{fixture.Host.BaseAddress.ToString().TrimEnd('/')}/p/marketing/open?token=", mail.HtmlBody, StringComparison.Ordinal);
        var html = mail.HtmlBody ?? string.Empty;
        var (pixel, click, unsubscribe) = (Url(html, "open"), Url(html, "click"), Url(html, "unsubscribe"));

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseAddress };
        var opened = await http.GetAsync(pixel);
        Assert.Equal((HttpStatusCode.OK, "image/gif"), (opened.StatusCode, opened.Content.Headers.ContentType?.MediaType));
        Assert.Equal("opened", await StatusAsync(tenant, member));

        var clicked = await http.GetAsync(click);
        Assert.Equal((HttpStatusCode.Redirect, "https://example.cn/offer?a=1&b=2"), (clicked.StatusCode, clicked.Headers.Location?.ToString()));
        Assert.Equal("clicked", await StatusAsync(tenant, member));

        // Opening again later doesn't move the member back; a tampered link is refused and changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(pixel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(click[..^3] + (click[^3..] == "AAA" ? "BBB" : "AAA"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(pixel.Replace("/open?", "/click?", StringComparison.Ordinal))).StatusCode);
        Assert.Equal("clicked", await StatusAsync(tenant, member));

        // The unsubscribe link shows a page; posting it unsubscribes.
        var page = await http.GetAsync(unsubscribe);
        Assert.Contains("退订 / Unsubscribe", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("clicked", await StatusAsync(tenant, member));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(unsubscribe, new StringContent(string.Empty))).StatusCode);
        Assert.Equal("unsubscribed", await StatusAsync(tenant, member));

        // Nobody targeted is left with an address: a second send queues nothing.
        Assert.Equal(0, (await tenant.Admin.MutateAsync(Send, new { c = campaign }))["result"]!["sent"].Int());
        Assert.Equal(1, smtp.AcceptedCount);
    }

    [Fact]
    public async Task Only_an_active_email_campaign_with_its_message_sends()
    {
        var tenant = await fixture.TenantAsync();
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", email = "zhang@xingchen.cn" });
        var planned = await tenant.CampaignAsync("未启动", "email", new { emailSubject = "主题", emailBody = "<p>正文</p>" });
        var fair = await tenant.CampaignAsync("展会", "event");
        var empty = await tenant.CampaignAsync("没写正文", "email", new { emailSubject = "主题" });
        var member = await tenant.MemberAsync(planned, "contact", zhang);
        await tenant.UpdateAsync("Campaign", fair, new { status = "active" });
        await tenant.UpdateAsync("Campaign", empty, new { status = "active" });

        Assert.Equal(("MKT_INVALID_TRANSITION", "campaignId"), Pick(await tenant.Admin.RefusedAsync(Send, new { c = planned })));
        Assert.Equal(("INVALID_INPUT", "campaignId"), Pick(await tenant.Admin.RefusedAsync(Send, new { c = fair })));
        Assert.Equal(("INVALID_INPUT", "emailBody"), Pick(await tenant.Admin.RefusedAsync(Send, new { c = empty })));
        Assert.Equal("NOT_FOUND", (await tenant.Admin.RefusedAsync(Send, new { c = Guid.CreateVersion7().ToString() })).Code);
        Assert.Equal("targeted", await StatusAsync(tenant, member));
    }

    /// <summary>Tracking links on the test host, and the tenant's e-mail channel on the loopback SMTP server.</summary>
    internal static async Task SetUpAsync(MarketingTenant tenant, int port, string baseUrl)
    {
        await tenant.Admin.MutateAsync(
            "mutation($v: [PluginSettingValue!]!) { setPluginSettings(plugin: \"marketing\", values: $v) { settings { name } userErrors { field code message } } }",
            new { v = new[] { new { name = "trackingBaseUrl", value = baseUrl } } });
        await tenant.Admin.MutateAsync(
            "mutation($input: MessageChannelInput!) { setMessageChannel(input: $input) { settings { enabled } userErrors { field code message } } }",
            new { input = new { channel = "EMAIL", host = "127.0.0.1", port, tlsMode = "NONE", fromAddress = "市场部 <marketing@example.cn>" } });
    }

    private async Task<string> StatusAsync(MarketingTenant tenant, string member) =>
        (await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str();

    /// <summary>The path and query of the mail's signed link for <paramref name="route"/> (HTML-decoded), on the test host.</summary>
    internal static string Url(string html, string route)
    {
        var match = SignedLink().Matches(html).First(m => m.Groups["route"].Value == route);
        return WebUtility.HtmlDecode(match.Groups["path"].Value);
    }

    [GeneratedRegex("(?:href|src)=\"https?://[^/\"]+(?<path>/p/marketing/(?<route>[a-z]+)\\?token=[^\"]+)\"")]
    private static partial Regex SignedLink();

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
