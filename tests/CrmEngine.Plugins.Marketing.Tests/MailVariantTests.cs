using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// A campaign mail in Chinese with an English variant, and merge fields: each person's language picks
/// the variant (English for en, the main Chinese one otherwise), received by a real loopback SMTP server.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class MailVariantTests(MarketingHost fixture)
{
    private const string Send = "mutation($c: ID!) { sendCampaignEmail(campaignId: $c) { result { sent } " + MarketingTenant.Errors + " } }";

    [Fact]
    public async Task Each_person_gets_the_variant_of_their_language_with_their_own_merge_fields()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await fixture.TenantAsync();
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var account = await tenant.IdAsync("Account", new { name = "星辰科技" });
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", title = "采购经理", email = "zhang@xingchen.cn", language = "zh", accountId = account });
        var emma = await tenant.IdAsync("Contact", new { name = "Emma <Li>", title = "Buyer", email = "emma@xingchen.cn", language = "en", accountId = account });
        var zhao = await tenant.IdAsync("Lead", new { name = "赵磊", title = "厂长", company = "恒通精密", email = "zhao.lei@hengtong.cn" });
        var campaign = await tenant.CampaignAsync("新品发布邮件", "email", new
        {
            emailSubject = "{{company}}专享：新品发布",
            emailBody = "<p>{{name}}（{{ title }}），您好！</p>",
            emailSubjectEn = "New release for {{company}}",
            emailBodyEn = "<p>Dear {{name}} ({{title}}),</p>",
        });
        await tenant.MemberAsync(campaign, "contact", zhang);
        await tenant.MemberAsync(campaign, "contact", emma);
        await tenant.MemberAsync(campaign, "lead", zhao);
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });
        Assert.Equal(3, (await tenant.Admin.MutateAsync(Send, new { c = campaign }))["result"]!["sent"].Int());

        var mails = (await smtp.WaitForAsync(3)).ToDictionary(m => m.To.Mailboxes.Single().Address);
        Assert.Equal("星辰科技专享：新品发布", mails["zhang@xingchen.cn"].Subject);
        Assert.Contains("<p>张伟（采购经理），您好！</p>", mails["zhang@xingchen.cn"].HtmlBody, StringComparison.Ordinal);
        // English for the person whose language is en; merged values are HTML-encoded.
        Assert.Equal("New release for 星辰科技", mails["emma@xingchen.cn"].Subject);
        Assert.Contains("<p>Dear Emma &lt;Li&gt; (Buyer),</p>", mails["emma@xingchen.cn"].HtmlBody, StringComparison.Ordinal);
        // No language: the main (Chinese) variant; a lead's company is its own.
        Assert.Equal("恒通精密专享：新品发布", mails["zhao.lei@hengtong.cn"].Subject);
        Assert.Contains("<p>赵磊（厂长），您好！</p>", mails["zhao.lei@hengtong.cn"].HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_merge_fields_and_half_an_english_variant_are_refused()
    {
        var tenant = await fixture.TenantAsync();
        Assert.Equal(("INVALID_INPUT", "emailBody"), Pick(await tenant.CreateRefusedAsync("Campaign", new { name = "错字", type = "email", emailBody = "<p>{{nmae}}</p>" })));
        Assert.Equal(("INVALID_INPUT", "emailSubject"), Pick(await tenant.CreateRefusedAsync("Campaign", new { name = "主题不能退订", type = "email", emailSubject = "{{unsubscribeUrl}}" })));
        Assert.Equal(0, await tenant.CountAsync("campaigns"));

        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", email = "zhang@xingchen.cn", language = "en" });
        var campaign = await tenant.CampaignAsync("新品发布邮件", "email", new { emailSubject = "新品发布", emailBody = "<p>{{name}}</p>", emailSubjectEn = "New release" });
        Assert.Equal(("INVALID_INPUT", "emailBodyEn"), Pick(await tenant.UpdateRefusedAsync("Campaign", campaign, new { emailBodyEn = "<p>{{firstName}}</p>" })));
        var member = await tenant.MemberAsync(campaign, "contact", zhang);
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });
        Assert.Equal(("INVALID_INPUT", "emailBodyEn"), Pick(await tenant.Admin.RefusedAsync(Send, new { c = campaign })));
        Assert.Equal("targeted", (await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str());
        Assert.Null((await tenant.ReadAsync("campaign", campaign, "emailBodyEn"))["emailBodyEn"]);
    }

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
