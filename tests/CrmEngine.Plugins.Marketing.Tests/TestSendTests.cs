using System.Net;
using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Test sends: the campaign's mail as a chosen sample member (or given merge values) would get it, in
/// a chosen variant, to a few reviewers, received by a real loopback SMTP server; nothing is recorded
/// on members or the campaign's figures, and its links record nothing.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class TestSendTests(MarketingHost fixture)
{
    private const string TestSend = "mutation($c: ID!, $to: [String!]!, $m: ID, $lang: String, $name: String) { sendTestEmail(campaignId: $c, to: $to, memberId: $m, language: $lang, name: $name) { result { sent to subject language } " + MarketingTenant.Errors + " } }";

    [Fact]
    public async Task A_test_send_reaches_the_reviewers_as_the_sample_member_would_see_it_and_records_nothing()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await fixture.TenantAsync();
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var account = await tenant.IdAsync("Account", new { name = "星辰科技" });
        var emma = await tenant.IdAsync("Contact", new { name = "Emma Li", email = "emma@xingchen.cn", language = "en", accountId = account });
        var campaign = await tenant.CampaignAsync("新品发布邮件", "email", new
        {
            emailSubject = "{{company}}专享：新品发布",
            emailBody = "<p>{{name}}，您好！</p><p><a href=\"https://example.cn/offer\">查看</a></p>",
            emailSubjectEn = "New release for {{company}}",
            emailBodyEn = "<p>Dear {{name}},</p><p><a href=\"https://example.cn/offer\">See it</a></p>",
        });
        var member = await tenant.MemberAsync(campaign, "contact", emma);

        // A planned campaign can be tested: Emma's language picks the English variant, her values merge.
        var result = (await tenant.Admin.MutateAsync(TestSend, new { c = campaign, to = new[] { "reviewer@example.cn", "Boss@Example.cn", "boss@example.cn" }, m = member }))["result"]!;
        Assert.Equal((2, "[TEST] New release for 星辰科技", "en"), (result["sent"].Int(), result["subject"].Str(), result["language"].Str()));
        var mails = (await smtp.WaitForAsync(2)).ToDictionary(m => m.To.Mailboxes.Single().Address);
        Assert.Equal(["Boss@Example.cn", "reviewer@example.cn"], mails.Keys.Order(StringComparer.Ordinal));
        var mail = mails["reviewer@example.cn"];
        Assert.Equal("[TEST] New release for 星辰科技", mail.Subject);
        Assert.Contains("<p>Dear Emma Li,</p>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);

        // Its links work but record nothing: the click redirects, the pixel answers, the unsubscribe post changes nothing.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseAddress };
        var html = mail.HtmlBody ?? string.Empty;
        Assert.Equal("https://example.cn/offer", (await http.GetAsync(EmailTests.Url(html, "click"))).Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(EmailTests.Url(html, "open"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(EmailTests.Url(html, "unsubscribe"), new StringContent(string.Empty))).StatusCode);

        // The Chinese variant with a given name, and no sample member.
        var chinese = (await tenant.Admin.MutateAsync(TestSend, new { c = campaign, to = new[] { "reviewer@example.cn" }, lang = "zh-CN", name = "样例客户" }))["result"]!;
        Assert.Equal(("[TEST] 专享：新品发布", "zh-CN"), (chinese["subject"].Str(), chinese["language"].Str()));
        Assert.Contains("<p>样例客户，您好！</p>", (await smtp.WaitForAsync(3))[2].HtmlBody, StringComparison.Ordinal);

        // Nothing is recorded: the member is still targeted, nobody has an interaction, the campaign counts no send.
        var read = await tenant.ReadAsync("campaignMember", member, "memberStatus messageId marketingInteractions { totalCount }");
        Assert.Equal(("targeted", null, 0), (read["memberStatus"].Str(), read["messageId"]?.GetValue<string>(), read["marketingInteractions"]!["totalCount"].Int()));
        Assert.Equal(0, await tenant.CountAsync("marketingInteractions"));
        Assert.Equal(0, await tenant.CountAsync("campaignMembers", "{ memberStatus: { ne: \"targeted\" } }"));
    }

    [Fact]
    public async Task A_test_send_to_bad_or_too_many_addresses_or_of_a_campaign_that_cannot_send_is_refused_and_sends_nothing()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await fixture.TenantAsync();
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var campaign = await tenant.CampaignAsync("季度通讯", "email", new { emailSubject = "季度通讯", emailBody = "<p>{{name}}</p>" });
        var other = await tenant.CampaignAsync("另一个活动", "email");
        var outsider = await tenant.MemberAsync(other, "contact", await tenant.IdAsync("Contact", new { name = "外人", email = "wai@example.cn" }));
        var sms = await tenant.CampaignAsync("短信", "sms", new { smsText = "您好" });
        var cancelled = await tenant.CampaignAsync("已取消", "email", new { emailSubject = "主题", emailBody = "<p>正文</p>" });
        await tenant.UpdateAsync("Campaign", cancelled, new { status = "cancelled" });
        var one = new[] { "reviewer@example.cn" };

        Assert.Equal(("MKT_INVALID_ADDRESS", "to"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = campaign, to = new[] { "reviewer@example.cn", "not-an-address" } })));
        Assert.Equal(("MKT_INVALID_ADDRESS", "to"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = campaign, to = new[] { "审核 <reviewer@example.cn>" } })));
        Assert.Equal(("MKT_TOO_MANY_RECIPIENTS", "to"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = campaign, to = Enumerable.Range(1, 6).Select(i => $"r{i}@example.cn").ToArray() })));
        Assert.Equal(("INVALID_INPUT", "to"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = campaign, to = Array.Empty<string>() })));
        Assert.Equal(("INVALID_INPUT", "language"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = campaign, to = one, lang = "en" })));
        Assert.Equal(("INVALID_INPUT", "language"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = campaign, to = one, lang = "fr" })));
        Assert.Equal(("INVALID_INPUT", "memberId"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = campaign, to = one, m = outsider })));
        Assert.Equal(("INVALID_INPUT", "campaignId"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = sms, to = one })));
        Assert.Equal(("MKT_CAMPAIGN_CLOSED", "campaignId"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = cancelled, to = one })));
        Assert.Equal(("INVALID_INPUT", "emailSubject"), Pick(await tenant.Admin.RefusedAsync(TestSend, new { c = other, to = one })));
        Assert.Equal("NOT_FOUND", (await tenant.Admin.RefusedAsync(TestSend, new { c = Guid.CreateVersion7().ToString(), to = one })).Code);

        // None of those queued anything: the one good send that follows is the only mail.
        Assert.Equal(1, (await tenant.Admin.MutateAsync(TestSend, new { c = campaign, to = one }))["result"]!["sent"].Int());
        Assert.Equal("[TEST] 季度通讯", (await smtp.WaitForAsync(1)).Single().Subject);
        await Task.Delay(300);
        Assert.Equal(1, smtp.AcceptedCount);
    }

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
