namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>Segments pick people with the engine's filter language or a list, leave out the excluded, and feed campaigns.</summary>
[Collection(MarketingHostGroup.Name)]
public sealed class SegmentTests(MarketingHost fixture)
{
    private const string Refresh = "mutation($id: ID!) { refreshSegment(id: $id) { result { added removed excluded segment { size refreshedAt } } " + MarketingTenant.Errors + " } }";
    private const string Preview = "query($id: ID!) { segmentPreview(id: $id) { size excluded people { name email } } }";

    [Fact]
    public async Task A_dynamic_segment_follows_its_filter_less_the_opted_out_and_overlaps_another()
    {
        var tenant = await fixture.TenantAsync();
        var (_, jinggong, _, tianfu) = await AccountsAsync(tenant);
        var manufacturers = await SegmentAsync(tenant, "制造业客户", "account", """{"industry": {"eq": "manufacturing"}}""");
        var vip = await SegmentAsync(tenant, "VIP 客户", "account", """{"tags": {"has": "vip"}}""");
        var east = await SegmentAsync(tenant, "江浙客户", "account", """{"or": [{"province": {"eq": "江苏"}}, {"province": {"eq": "浙江"}}], "not": {"name": {"contains": "软件"}}}""");

        // 天府软件 unsubscribed from an earlier campaign: picked by the filter, left out.
        var earlier = await tenant.CampaignAsync("去年通讯");
        await tenant.UpdateAsync("CampaignMember", await tenant.MemberAsync(earlier, "account", tianfu), new { memberStatus = "unsubscribed" });

        var preview = (await tenant.Admin.QueryAsync(Preview, new { id = manufacturers }))["segmentPreview"]!;
        Assert.Equal((2, 1), (preview["size"].Int(), preview["excluded"].Int()));
        Assert.Equal(["上海星辰科技", "苏州精工机械"], preview["people"]!.AsArray().Select(p => p!["name"].Str()));
        Assert.Equal(["杭州云帆科技", "苏州精工机械"], (await tenant.Admin.QueryAsync(Preview, new { id = east }))["segmentPreview"]!["people"]!.AsArray().Select(p => p!["name"].Str()).Order(StringComparer.Ordinal));

        var first = (await tenant.Admin.MutateAsync(Refresh, new { id = manufacturers }))["result"]!;
        Assert.Equal((2, 0, 1, 2), (first["added"].Int(), first["removed"].Int(), first["excluded"].Int(), first["segment"]!["size"].Int()));
        Assert.NotNull(first["segment"]!["refreshedAt"]);

        // 精工 moves to retail: the next refresh takes it out.
        await tenant.UpdateAsync("Account", jinggong, new { industry = "retail" });
        var second = (await tenant.Admin.MutateAsync(Refresh, new { id = manufacturers }))["result"]!;
        Assert.Equal((0, 1, 1), (second["added"].Int(), second["removed"].Int(), second["segment"]!["size"].Int()));
        var members = await tenant.ReadAsync("segment", manufacturers, "members { nodes { account { name } } }");
        Assert.Equal("上海星辰科技", members["members"]!["nodes"]![0]!["account"]!["name"].Str());

        var overlap = (await tenant.Admin.QueryAsync("query($a: ID!, $b: ID!) { segmentOverlap(a: $a, b: $b) { both onlyA onlyB } }", new { a = manufacturers, b = vip }))["segmentOverlap"]!;
        Assert.Equal((1, 0, 1), (overlap["both"].Int(), overlap["onlyA"].Int(), overlap["onlyB"].Int()));
    }

    [Fact]
    public async Task Segments_reach_through_lookups_and_leave_out_people_contacted_too_often()
    {
        var tenant = await fixture.TenantAsync();
        var (xingchen, _, yunfan, _) = await AccountsAsync(tenant);
        await tenant.IdAsync("Contact", new { name = "张伟", accountId = xingchen, email = "zhang@xingchen.cn" });
        await tenant.IdAsync("Contact", new { name = "周敏", accountId = yunfan, email = "zhou@yunfan.cn" });
        var shanghai = await SegmentAsync(tenant, "上海客户的联系人", "contact", """{"account": {"province": {"eq": "上海"}}}""");
        Assert.Equal(["张伟"], (await tenant.Admin.QueryAsync(Preview, new { id = shanghai }))["segmentPreview"]!["people"]!.AsArray().Select(p => p!["name"].Str()));

        // 云帆 got two mails in the last 30 days: more than once is too often.
        foreach (var name in new[] { "三月通讯", "四月通讯" })
        {
            await tenant.UpdateAsync("CampaignMember", await tenant.MemberAsync(await tenant.CampaignAsync(name), "account", yunfan), new { memberStatus = "sent" });
        }

        await tenant.UpdateAsync("CampaignMember", await tenant.MemberAsync(await tenant.CampaignAsync("五月通讯"), "account", xingchen), new { memberStatus = "sent" });
        var rested = await tenant.IdAsync("Segment", new { name = "近期未打扰的 VIP", entity = "account", filter = """{"tags": {"has": "vip"}}""", maxContacts = 1, contactWindowDays = 30 });
        var preview = (await tenant.Admin.QueryAsync(Preview, new { id = rested }))["segmentPreview"]!;
        Assert.Equal((1, 1, "上海星辰科技"), (preview["size"].Int(), preview["excluded"].Int(), preview["people"]![0]!["name"].Str()));
    }

    [Fact]
    public async Task A_static_list_takes_ids_and_a_csv_of_emails_and_feeds_a_campaign()
    {
        var tenant = await fixture.TenantAsync();
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", email = "zhang@xingchen.cn" });
        await tenant.IdAsync("Contact", new { name = "王磊", email = "wang@xingchen.cn" });
        await tenant.IdAsync("Contact", new { name = "周敏", email = "zhou@yunfan.cn" });
        var list = await tenant.IdAsync("Segment", new { name = "展会签到名单", entity = "contact", kind = "static" });
        const string Add = "mutation($s: ID!, $ids: [ID!], $csv: String) { addSegmentMembers(segmentId: $s, ids: $ids, csv: $csv) { result { added alreadyMembers unmatched } " + MarketingTenant.Errors + " } }";

        var added = (await tenant.Admin.MutateAsync(Add, new { s = list, ids = new[] { zhang }, csv = "email\nZhang@Xingchen.cn\nWANG@xingchen.cn, nobody@example.cn" }))["result"]!;
        // 张伟 named twice (by id and e-mail) is one person; the header and an unknown address match no one.
        Assert.Equal((2, 0), (added["added"].Int(), added["alreadyMembers"].Int()));
        Assert.Equal(["email", "nobody@example.cn"], added["unmatched"]!.AsArray().Select(u => u.Str()));
        var again = (await tenant.Admin.MutateAsync(Add, new { s = list, csv = "zhang@xingchen.cn" }))["result"]!;
        Assert.Equal((0, 1), (again["added"].Int(), again["alreadyMembers"].Int()));
        Assert.Equal(2, (await tenant.Admin.MutateAsync(Refresh, new { id = list }))["result"]!["segment"]!["size"].Int());

        var campaign = await tenant.CampaignAsync("展会答谢邮件");
        const string ToCampaign = "mutation($s: ID!, $c: ID!) { addSegmentToCampaign(segmentId: $s, campaignId: $c) { result { added { contact { name } } alreadyMembers } " + MarketingTenant.Errors + " } }";
        var result = (await tenant.Admin.MutateAsync(ToCampaign, new { s = list, c = campaign }))["result"]!;
        Assert.Equal(["张伟", "王磊"], result["added"]!.AsArray().Select(m => m!["contact"]!["name"].Str()).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await tenant.Admin.MutateAsync(ToCampaign, new { s = list, c = campaign }))["result"]!["alreadyMembers"].Int());
    }

    [Fact]
    public async Task The_hourly_job_refreshes_dynamic_segments()
    {
        var tenant = await fixture.TenantAsync();
        await AccountsAsync(tenant);
        var manufacturers = await SegmentAsync(tenant, "制造业客户", "account", """{"industry": {"eq": "manufacturing"}}""");
        Assert.Null((await tenant.ReadAsync("segment", manufacturers, "size"))["size"]);

        await fixture.Host.RunDueJobsAsync(DateTime.UtcNow.AddHours(2));

        var segment = await tenant.ReadAsync("segment", manufacturers, "size refreshedAt members { totalCount }");
        Assert.Equal((3, 3), (segment["size"].Int(), segment["members"]!["totalCount"].Int()));
        Assert.NotNull(segment["refreshedAt"]);
    }

    [Fact]
    public async Task Bad_segments_and_memberships_are_refused_and_change_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var (xingchen, _, _, _) = await AccountsAsync(tenant);
        var contact = await tenant.IdAsync("Contact", new { name = "张伟", email = "zhang@xingchen.cn" });
        Assert.Equal(("INVALID_INPUT", "filter"), Pick(await tenant.CreateRefusedAsync("Segment", new { name = "无条件", entity = "account" })));
        Assert.Equal(("INVALID_INPUT", "filter"), Pick(await tenant.CreateRefusedAsync("Segment", new { name = "静态带条件", entity = "account", kind = "static", filter = "{}" })));
        Assert.Equal(("INVALID_INPUT", "filter"), Pick(await tenant.CreateRefusedAsync("Segment", new { name = "坏 JSON", entity = "account", filter = "{industry:" })));
        Assert.Equal(("INVALID_INPUT", "filter"), Pick(await tenant.CreateRefusedAsync("Segment", new { name = "反向列表", entity = "account", filter = """{"opportunities": {"some": {"status": {"eq": "won"}}}}""" })));
        Assert.Equal(("INVALID_INPUT", "filter"), Pick(await tenant.CreateRefusedAsync("Segment", new { name = "坏周期", entity = "account", filter = """{"createdAt": {"relative": {"period": "SOMEDAY"}}}""" })));
        Assert.Equal("UNKNOWN_FIELD", (await tenant.CreateRefusedAsync("Segment", new { name = "没有的字段", entity = "account", filter = """{"shoeSize": {"eq": 42}}""" })).Code);
        Assert.Equal("INVALID_OPERATOR", (await tenant.CreateRefusedAsync("Segment", new { name = "不配的运算", entity = "account", filter = """{"inPool": {"contains": "x"}}""" })).Code);
        Assert.Equal(("INVALID_INPUT", "contactWindowDays"), Pick(await tenant.CreateRefusedAsync("Segment", new { name = "只有次数", entity = "account", filter = """{"inPool": {"eq": false}}""", maxContacts = 3 })));
        Assert.Equal(0, await tenant.CountAsync("segments"));

        var dynamic = await SegmentAsync(tenant, "制造业客户", "account", """{"industry": {"eq": "manufacturing"}}""");
        var list = await tenant.IdAsync("Segment", new { name = "名单", entity = "account", kind = "static" });
        var other = await tenant.IdAsync("Segment", new { name = "联系人名单", entity = "contact", kind = "static" });
        Assert.Equal(("INVALID_INPUT", "entity"), Pick(await tenant.UpdateRefusedAsync("Segment", dynamic, new { entity = "lead" })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "size"), Pick(await tenant.UpdateRefusedAsync("Segment", dynamic, new { size = 99 })));
        Assert.Equal(("MKT_DYNAMIC_SEGMENT", "segment"), Pick(await tenant.CreateRefusedAsync("SegmentMember", new { segmentId = dynamic, accountId = xingchen })));
        Assert.Equal(("MKT_MEMBER_TARGET", "contact"), Pick(await tenant.CreateRefusedAsync("SegmentMember", new { segmentId = list, contactId = contact })));
        await tenant.IdAsync("SegmentMember", new { segmentId = list, accountId = xingchen });
        Assert.Equal(("MKT_ALREADY_MEMBER", "account"), Pick(await tenant.CreateRefusedAsync("SegmentMember", new { segmentId = list, accountId = xingchen })));

        const string Add = "mutation($s: ID!, $ids: [ID!], $csv: String) { addSegmentMembers(segmentId: $s, ids: $ids, csv: $csv) { result { added } " + MarketingTenant.Errors + " } }";
        Assert.Equal(("MKT_DYNAMIC_SEGMENT", "segmentId"), Pick(await tenant.Admin.RefusedAsync(Add, new { s = dynamic, csv = "a@b.cn" })));
        Assert.Equal(("INVALID_INPUT", "ids"), Pick(await tenant.Admin.RefusedAsync(Add, new { s = list })));
        Assert.Equal(("NOT_FOUND", "ids"), Pick(await tenant.Admin.RefusedAsync(Add, new { s = other, ids = new[] { Guid.CreateVersion7().ToString() } })));
        Assert.Equal(("INVALID_ID", "ids"), Pick(await tenant.Admin.RefusedAsync(Add, new { s = other, ids = new[] { xingchen } })));
        Assert.Equal(1, await tenant.CountAsync("segmentMembers"));

        var closed = await tenant.CampaignAsync("已取消活动");
        await tenant.UpdateAsync("Campaign", closed, new { status = "cancelled" });
        Assert.Equal(("MKT_CAMPAIGN_CLOSED", "campaignId"), Pick(await tenant.Admin.RefusedAsync("mutation($s: ID!, $c: ID!) { addSegmentToCampaign(segmentId: $s, campaignId: $c) { result { alreadyMembers } " + MarketingTenant.Errors + " } }", new { s = dynamic, c = closed })));
        Assert.Contains("INVALID_INPUT", (await tenant.Admin.PostAsync("query($a: ID!, $b: ID!) { segmentOverlap(a: $a, b: $b) { both } }", new { a = list, b = other })).ErrorCodes);
        Assert.Equal(0, await tenant.CountAsync("campaignMembers"));
        Assert.Equal(3, await tenant.CountAsync("segments"));
    }

    /// <summary>上海星辰科技 (manufacturing, VIP), 苏州精工机械 (manufacturing), 杭州云帆科技 (IT, VIP), 成都天府软件 (manufacturing).</summary>
    private static async Task<(string, string, string, string)> AccountsAsync(MarketingTenant tenant) => (
        await tenant.IdAsync("Account", new { name = "上海星辰科技", industry = "manufacturing", province = "上海", tags = new[] { "vip" } }),
        await tenant.IdAsync("Account", new { name = "苏州精工机械", industry = "manufacturing", province = "江苏" }),
        await tenant.IdAsync("Account", new { name = "杭州云帆科技", industry = "it", province = "浙江", tags = new[] { "vip", "sme" } }),
        await tenant.IdAsync("Account", new { name = "成都天府软件", industry = "manufacturing", province = "四川" }));

    private static Task<string> SegmentAsync(MarketingTenant tenant, string name, string entity, string filter) =>
        tenant.IdAsync("Segment", new { name, entity, filter });

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
