using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Webhooks;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// SMS campaigns and a journey's SMS step through the engine's SMS channel, to a real HTTP gateway on
/// loopback: each person's text with their merge fields, delivered or bounced (a gateway's 4xx) as the
/// delivery check reads it.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class SmsTests(MarketingHost fixture)
{
    private const string Send = "mutation($c: ID!) { sendCampaignSms(campaignId: $c) { result { sent skipped { code member { contact { name } } } } " + MarketingTenant.Errors + " } }";

    [Fact]
    public async Task An_sms_campaign_texts_each_targeted_member_through_the_gateway_and_a_journey_step_texts_new_leads()
    {
        await using var gateway = await WebhookReceiver.StartAsync();
        var tenant = await fixture.TenantAsync();
        await tenant.Admin.MutateAsync(
            "mutation($input: MessageChannelInput!) { setMessageChannel(input: $input) { settings { enabled } userErrors { field code message } } }",
            new { input = new { channel = "SMS", url = gateway.Url("/sms"), bodyTemplate = "{\"phone\": \"{{ to }}\", \"message\": \"{{ text }}\"}" } });
        var account = await tenant.IdAsync("Account", new { name = "星辰科技" });
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", phone = "+86 139 1111 2222", accountId = account });
        var nophone = await tenant.IdAsync("Contact", new { name = "无手机", email = "no.phone@xingchen.cn" });
        var campaign = await tenant.CampaignAsync("双十一短信", "sms", new { smsText = "{{name}}您好，{{company}}专享双十一优惠。" });
        var member = await tenant.MemberAsync(campaign, "contact", zhang);
        await tenant.MemberAsync(campaign, "contact", nophone);
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });

        var sent = (await tenant.Admin.MutateAsync(Send, new { c = campaign }))["result"]!;
        Assert.Equal((1, "NO_RECIPIENT_ADDRESS", "无手机"), (sent["sent"].Int(), sent["skipped"]![0]!["code"].Str(), sent["skipped"]![0]!["member"]!["contact"]!["name"].Str()));
        var text = JsonNode.Parse((await gateway.WaitForAsync(1)).Single().Body)!;
        Assert.Equal(("+86 139 1111 2222", "张伟您好，星辰科技专享双十一优惠。"), (text["phone"].Str(), text["message"].Str()));
        await tenant.Admin.EventuallyAsync("{ messages { status } }", d => d["messages"]!.AsArray().All(m => m!["status"].Str() != "QUEUED"));
        await fixture.Host.RunDueJobsAsync(JourneyTests.Minute());
        Assert.Equal("delivered", (await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str());

        // A journey's sendSms step texts each new lead once; the gateway refuses this number (400), so the lead's membership bounces.
        var steps = JourneyTests.Steps(new { key = "text", type = "sendSms", campaign });
        var journey = await tenant.IdAsync("Journey", new { name = "新线索短信", of = "lead", entryKind = "leadCreated", steps });
        await tenant.Admin.MutateAsync(JourneyTests.Publish, new { id = journey });
        var zhao = await tenant.IdAsync("Lead", new { name = "赵磊", company = "恒通精密", phone = "+86 138 0000 0000" });
        await JourneyTests.EnteredAsync(tenant, journey, 1);
        gateway.AnswerWith(400);
        await fixture.Host.RunDueJobsAsync(JourneyTests.Minute(3));
        var texted = JsonNode.Parse((await gateway.WaitForAsync(2))[1].Body)!;
        Assert.Equal(("+86 138 0000 0000", "赵磊您好，恒通精密专享双十一优惠。"), (texted["phone"].Str(), texted["message"].Str()));
        Assert.Equal("completed", (await JourneyTests.MembersAsync(tenant, journey))[zhao]["status"].Str());
        await tenant.Admin.EventuallyAsync("{ messages(status: QUEUED) { id } }", d => d["messages"]!.AsArray().Count == 0);
        await fixture.Host.RunDueJobsAsync(JourneyTests.Minute(4));
        var membership = (await tenant.Admin.QueryAsync("query($l: ID!) { campaignMembers(filter: {lead: {id: {eq: $l}}}) { nodes { memberStatus deliveryStatus } } }", new { l = zhao }))["campaignMembers"]!["nodes"]![0]!;
        Assert.Equal(("bounced", "bounced"), (membership["memberStatus"].Str(), membership["deliveryStatus"].Str()));
    }

    [Fact]
    public async Task Only_an_active_sms_campaign_with_its_text_sends_and_a_journey_step_needs_one()
    {
        var tenant = await fixture.TenantAsync();
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", phone = "+86 139 1111 2222" });
        var planned = await tenant.CampaignAsync("未启动短信", "sms", new { smsText = "您好" });
        var mail = await tenant.CampaignAsync("邮件活动", "email", new { emailSubject = "主题", emailBody = "<p>正文</p>" });
        var empty = await tenant.CampaignAsync("没写短信", "sms");
        var member = await tenant.MemberAsync(planned, "contact", zhang);
        await tenant.UpdateAsync("Campaign", mail, new { status = "active" });
        await tenant.UpdateAsync("Campaign", empty, new { status = "active" });

        Assert.Equal(("MKT_INVALID_TRANSITION", "campaignId"), Pick(await tenant.Admin.RefusedAsync(Send, new { c = planned })));
        Assert.Equal(("INVALID_INPUT", "campaignId"), Pick(await tenant.Admin.RefusedAsync(Send, new { c = mail })));
        Assert.Equal(("INVALID_INPUT", "smsText"), Pick(await tenant.Admin.RefusedAsync(Send, new { c = empty })));
        Assert.Equal(("INVALID_INPUT", "smsText"), Pick(await tenant.UpdateRefusedAsync("Campaign", planned, new { smsText = "{{unsubscribeUrl}}" })));
        Assert.Equal("targeted", (await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str());
        Assert.Empty((await tenant.Admin.QueryAsync("{ messages { id } }"))["messages"]!.AsArray());

        // A journey's SMS step names an SMS campaign with a text, not an e-mail one.
        var refused = await tenant.CreateRefusedAsync("Journey", new { name = "错的短信步骤", of = "lead", entryKind = "leadCreated", steps = JourneyTests.Steps(new { key = "text", type = "sendSms", campaign = mail }) });
        Assert.Equal(("MKT_JOURNEY_INVALID", "steps"), Pick(refused));
        Assert.Equal(0, await tenant.CountAsync("journeys"));
    }

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
