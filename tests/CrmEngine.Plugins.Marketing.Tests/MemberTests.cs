namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>Leads, contacts and accounts join campaigns once each, and their engagement only moves forward.</summary>
[Collection(MarketingHostGroup.Name)]
public sealed class MemberTests(MarketingHost fixture)
{
    private const string Add = "mutation($c: ID!, $l: [ID!], $p: [ID!], $a: [ID!]) { addCampaignMembers(campaignId: $c, leadIds: $l, contactIds: $p, accountIds: $a) { result { added { memberStatus lead { name } contact { name } account { name } } alreadyMembers } " + MarketingTenant.Errors + " } }";

    [Fact]
    public async Task Adding_people_skips_those_already_in_the_campaign_and_refuses_bad_ids_whole()
    {
        var tenant = await fixture.TenantAsync();
        var campaign = await tenant.CampaignAsync("新品发布邮件");
        var account = await tenant.IdAsync("Account", new { name = "杭州云帆科技" });
        var contact = await tenant.IdAsync("Contact", new { name = "周敏", accountId = account, email = "zhou@yunfan.cn" });
        var lead = await tenant.IdAsync("Lead", new { name = "孙浩", company = "苏州精工", email = "sun@jinggong.cn" });

        var first = (await tenant.Admin.MutateAsync(Add, new { c = campaign, l = new[] { lead }, p = new[] { contact }, a = new[] { account } }))["result"]!;
        Assert.Equal(3, first["added"]!.AsArray().Count);
        Assert.Equal(["targeted", "targeted", "targeted"], first["added"]!.AsArray().Select(m => m!["memberStatus"].Str()));
        Assert.Equal("孙浩", first["added"]![0]!["lead"]!["name"].Str());

        var again = (await tenant.Admin.MutateAsync(Add, new { c = campaign, l = new[] { lead, lead }, p = new[] { contact } }))["result"]!;
        Assert.Equal((0, 2), (again["added"]!.AsArray().Count, again["alreadyMembers"].Int()));

        // Refused whole: an unknown person (after a good one), a malformed id, nobody at all.
        var other = await tenant.IdAsync("Lead", new { name = "钱多多", email = "qian@example.cn" });
        Assert.Equal(("NOT_FOUND", "accountIds"), Pick(await tenant.Admin.RefusedAsync(Add, new { c = campaign, l = new[] { other }, a = new[] { Guid.CreateVersion7().ToString() } })));
        Assert.Equal(("INVALID_ID", "contactIds"), Pick(await tenant.Admin.RefusedAsync(Add, new { c = campaign, p = new[] { "nonsense" } })));
        Assert.Equal(("INVALID_INPUT", "leadIds"), Pick(await tenant.Admin.RefusedAsync(Add, new { c = campaign })));
        Assert.Equal("NOT_FOUND", (await tenant.Admin.RefusedAsync(Add, new { c = Guid.CreateVersion7().ToString(), l = new[] { other } })).Code);
        Assert.Equal(3, await tenant.CountAsync("campaignMembers"));

        // A finished campaign takes nobody new, through the operation or a direct write.
        await tenant.UpdateAsync("Campaign", campaign, new { status = "cancelled" });
        Assert.Equal(("MKT_CAMPAIGN_CLOSED", "campaignId"), Pick(await tenant.Admin.RefusedAsync(Add, new { c = campaign, l = new[] { other } })));
        Assert.Equal(("MKT_CAMPAIGN_CLOSED", "campaign"), Pick(await tenant.CreateRefusedAsync("CampaignMember", new { campaignId = campaign, leadId = other })));
        Assert.Equal(3, await tenant.CountAsync("campaignMembers"));
    }

    [Fact]
    public async Task A_member_is_one_person_once_per_campaign_and_stays_that_person()
    {
        var tenant = await fixture.TenantAsync();
        var campaign = await tenant.CampaignAsync("微信公众号推文", "wechat");
        var other = await tenant.CampaignAsync("抖音广告", "social");
        var account = await tenant.IdAsync("Account", new { name = "成都天府软件" });
        var lead = await tenant.IdAsync("Lead", new { name = "刘芳", email = "liu@tianfu.cn" });
        var member = await tenant.IdAsync("CampaignMember", new { campaignId = campaign, leadId = lead });

        Assert.Equal(("MKT_MEMBER_TARGET", "lead"), Pick(await tenant.CreateRefusedAsync("CampaignMember", new { campaignId = campaign })));
        Assert.Equal(("MKT_MEMBER_TARGET", "account"), Pick(await tenant.CreateRefusedAsync("CampaignMember", new { campaignId = campaign, leadId = lead, accountId = account })));
        Assert.Equal(("MKT_ALREADY_MEMBER", "lead"), Pick(await tenant.CreateRefusedAsync("CampaignMember", new { campaignId = campaign, leadId = lead })));
        Assert.Equal(("MKT_MEMBER_TARGET", "campaign"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", member, new { campaignId = other })));
        Assert.Equal(("MKT_MEMBER_TARGET", "account"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", member, new { accountId = account })));
        Assert.Equal(1, await tenant.CountAsync("campaignMembers"));

        // The same person in another campaign is another membership, listed on the lead.
        await tenant.IdAsync("CampaignMember", new { campaignId = other, leadId = lead });
        var memberships = await tenant.ReadAsync("lead", lead, "campaignMemberships { nodes { campaign { name } } }");
        Assert.Equal(2, memberships["campaignMemberships"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Engagement_moves_forward_a_response_is_stamped_once_and_bounces_and_unsubscribes_are_final()
    {
        var tenant = await fixture.TenantAsync();
        var campaign = await tenant.CampaignAsync("季度通讯");
        var people = new List<string>();
        foreach (var name in new[] { "甲", "乙", "丙" })
        {
            people.Add(await tenant.MemberAsync(campaign, "lead", await tenant.IdAsync("Lead", new { name, email = $"{Guid.NewGuid():N}@example.cn" })));
        }

        var (reader, bouncer, leaver) = (people[0], people[1], people[2]);
        await tenant.UpdateAsync("CampaignMember", reader, new { memberStatus = "opened" });
        Assert.Equal(("MKT_INVALID_TRANSITION", "memberStatus"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", reader, new { memberStatus = "sent" })));
        Assert.Equal(("MKT_INVALID_TRANSITION", "memberStatus"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", reader, new { memberStatus = "bounced" })));
        Assert.Equal(("INVALID_INPUT", "respondedAt"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", reader, new { respondedAt = "2026-01-01T00:00:00Z" })));
        Assert.Equal(("INVALID_INPUT", "respondedAt"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", reader, new { memberStatus = "responded", respondedAt = DateTime.UtcNow.AddDays(1) })));
        Assert.Null((await tenant.ReadAsync("campaignMember", reader, "respondedAt"))["respondedAt"]);

        // A response recorded late keeps the time it happened; converting later doesn't move it.
        var at = new DateTime(2026, 3, 2, 1, 30, 0, DateTimeKind.Utc);
        await tenant.RespondAsync(reader, at);
        await tenant.UpdateAsync("CampaignMember", reader, new { memberStatus = "converted" });
        var read = await tenant.ReadAsync("campaignMember", reader, "memberStatus respondedAt");
        Assert.Equal(("converted", at), (read["memberStatus"].Str(), read["respondedAt"]!.GetValue<DateTime>().ToUniversalTime()));
        Assert.Equal(("INVALID_INPUT", "respondedAt"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", reader, new { respondedAt = at.AddDays(-1) })));

        await tenant.UpdateAsync("CampaignMember", bouncer, new { memberStatus = "bounced" });
        Assert.Equal(("MKT_INVALID_TRANSITION", "memberStatus"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", bouncer, new { memberStatus = "delivered" })));
        await tenant.RespondAsync(leaver);
        Assert.NotNull((await tenant.ReadAsync("campaignMember", leaver, "respondedAt"))["respondedAt"]);
        await tenant.UpdateAsync("CampaignMember", leaver, new { memberStatus = "unsubscribed" });
        Assert.Equal(("MKT_INVALID_TRANSITION", "memberStatus"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", leaver, new { memberStatus = "converted" })));
        Assert.Equal(["converted", "bounced", "unsubscribed"], await StatusesAsync(tenant, people));
    }

    private static async Task<List<string>> StatusesAsync(MarketingTenant tenant, List<string> members)
    {
        var statuses = new List<string>();
        foreach (var member in members)
        {
            statuses.Add((await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str());
        }

        return statuses;
    }

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
