using System.Net;
using System.Text.Json.Nodes;
using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// What people do with marketing is recorded as interactions on their timeline and their account's,
/// which account360 reaches: opens, clicks and unsubscribes over real HTTP, and bounces from a real
/// loopback SMTP server that refuses a mailbox.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class InteractionTests(MarketingHost fixture)
{
    private const string Send = "mutation($c: ID!) { sendCampaignEmail(campaignId: $c) { result { sent } " + MarketingTenant.Errors + " } }";
    private const string Timeline = "marketingInteractions { nodes { kind detail occurredAt campaign { name } contact { name } lead { name } account { name } } }";

    [Fact]
    public async Task A_recipient_the_mail_server_refuses_is_bounced_with_its_answer_and_the_bounce_is_on_the_timeline()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        smtp.RefusedRecipients["nobody@xingchen.cn"] = true;
        var tenant = await fixture.TenantAsync();
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var account = await tenant.IdAsync("Account", new { name = "星辰科技" });
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", email = "zhang@xingchen.cn", accountId = account });
        var wang = await tenant.IdAsync("Contact", new { name = "王芳", email = "nobody@xingchen.cn", accountId = account });
        var campaign = await tenant.CampaignAsync("年终促销邮件", "email", new { emailSubject = "年终促销", emailBody = "<p>{{name}}，您好！</p>" });
        var delivered = await tenant.MemberAsync(campaign, "contact", zhang);
        var bounced = await tenant.MemberAsync(campaign, "contact", wang);
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });
        Assert.Equal(2, (await tenant.Admin.MutateAsync(Send, new { c = campaign }))["result"]!["sent"].Int());
        await tenant.Admin.EventuallyAsync("{ messages { status } }", d => d["messages"]!.AsArray().All(m => m!["status"].Str() != "QUEUED"));

        // Before the delivery check both are sent, their mails queued as far as marketing knows.
        Assert.Equal(("sent", "queued"), await DeliveryAsync(tenant, bounced));
        await fixture.Host.RunDueJobsAsync(JourneyTests.Minute());

        Assert.Equal(("delivered", "sent"), await DeliveryAsync(tenant, delivered));
        Assert.Equal(("bounced", "bounced"), await DeliveryAsync(tenant, bounced));
        var error = (await tenant.ReadAsync("campaignMember", bounced, "deliveryError"))["deliveryError"].Str();
        Assert.StartsWith("SMTP 550", error, StringComparison.Ordinal);

        var timeline = Nodes(await tenant.ReadAsync("contact", wang, Timeline));
        var bounce = Assert.Single(timeline)!;
        Assert.Equal(("bounced", error, "年终促销邮件", "星辰科技"), (bounce["kind"].Str(), bounce["detail"].Str(), bounce["campaign"]!["name"].Str(), bounce["account"]!["name"].Str()));
        Assert.Empty(Nodes(await tenant.ReadAsync("contact", zhang, Timeline)));

        // account360 reaches the account's interactions through its inverse list.
        var account360 = await tenant.Admin.QueryAsync("query($id: ID!) { account360(id: $id) { account { " + Timeline + " } } }", new { id = account });
        var seen = Assert.Single(Nodes(account360["account360"]!["account"]!))!;
        Assert.Equal(("bounced", "王芳"), (seen["kind"].Str(), seen["contact"]!["name"].Str()));

        // The check ran once per mail: a second run changes nothing and records no second bounce.
        await fixture.Host.RunDueJobsAsync(JourneyTests.Minute(3));
        Assert.Single(Nodes(await tenant.ReadAsync("contact", wang, Timeline)));
        Assert.Equal(1, smtp.AcceptedCount);
    }

    [Fact]
    public async Task Opens_clicks_and_unsubscribes_are_on_the_person_timeline_and_in_account360()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await fixture.TenantAsync();
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var account = await tenant.IdAsync("Account", new { name = "恒通精密" });
        var li = await tenant.IdAsync("Contact", new { name = "李娜", email = "li.na@hengtong.cn", accountId = account });
        var campaign = await tenant.CampaignAsync("新品发布邮件", "email", new { emailSubject = "新品发布", emailBody = "<p><a href=\"https://example.cn/new\">新品</a></p>" });
        await tenant.MemberAsync(campaign, "contact", li);
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });
        await tenant.Admin.MutateAsync(Send, new { c = campaign });
        var html = (await smtp.WaitForAsync(1)).Single().HtmlBody ?? string.Empty;

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(EmailTests.Url(html, "open"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(EmailTests.Url(html, "open"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync(EmailTests.Url(html, "click"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(EmailTests.Url(html, "unsubscribe"), new StringContent(string.Empty))).StatusCode);

        // The first open, the click and the unsubscribe: an open seen again moves nothing and is not a new interaction.
        var kinds = Nodes(await tenant.ReadAsync("contact", li, Timeline)).Select(n => n!["kind"].Str()).Order().ToList();
        Assert.Equal(["clicked", "opened", "unsubscribed"], kinds);
        var account360 = await tenant.Admin.QueryAsync("query($id: ID!) { account360(id: $id) { account { " + Timeline + " } } }", new { id = account });
        Assert.All(Nodes(account360["account360"]!["account"]!), n => Assert.Equal(("李娜", "新品发布邮件"), (n!["contact"]!["name"].Str(), n["campaign"]!["name"].Str())));
        Assert.Equal(3, Nodes(account360["account360"]!["account"]!).Count);
    }

    [Fact]
    public async Task Interactions_and_delivery_fields_are_the_module_s_to_write()
    {
        var tenant = await fixture.TenantAsync();
        var li = await tenant.IdAsync("Contact", new { name = "李娜", email = "li.na@hengtong.cn" });
        var campaign = await tenant.CampaignAsync("新品发布邮件");
        var member = await tenant.MemberAsync(campaign, "contact", li);

        var refused = await tenant.CreateRefusedAsync("MarketingInteraction", new { kind = "opened", occurredAt = DateTime.UtcNow, contactId = li });
        Assert.Equal("MKT_INTERACTION_MANAGED", refused.Code);
        Assert.Equal(("MKT_COMPUTED_FIELD", "deliveryStatus"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", member, new { deliveryStatus = "bounced" })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "messageId"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", member, new { messageId = Guid.NewGuid().ToString() })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "deliveryError"), Pick(await tenant.CreateRefusedAsync("CampaignMember", new { campaignId = campaign, contactId = li, deliveryError = "550" })));
        Assert.Equal(0, await tenant.CountAsync("marketingInteractions"));
        Assert.Equal(1, await tenant.CountAsync("campaignMembers"));
        Assert.Null((await tenant.ReadAsync("campaignMember", member, "deliveryStatus"))["deliveryStatus"]);
    }

    private static async Task<(string Status, string? Delivery)> DeliveryAsync(MarketingTenant tenant, string member)
    {
        var read = await tenant.ReadAsync("campaignMember", member, "memberStatus deliveryStatus");
        return (read["memberStatus"].Str(), read["deliveryStatus"]?.GetValue<string>());
    }

    private static List<JsonNode?> Nodes(JsonNode parent) => [.. parent["marketingInteractions"]!["nodes"]!.AsArray()];

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
