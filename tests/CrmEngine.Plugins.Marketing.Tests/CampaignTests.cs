namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>Campaigns follow their lifecycle, keep their actual cost as the sum of their cost lines, and form a tree.</summary>
[Collection(MarketingHostGroup.Name)]
public sealed class CampaignTests(MarketingHost fixture)
{
    [Fact]
    public async Task A_campaign_moves_planned_active_paused_completed_and_nothing_else()
    {
        var tenant = await fixture.TenantAsync();
        var campaign = await tenant.CampaignAsync("618 大促短信", "sms", new { startDate = "2026-06-01", endDate = "2026-06-18" });
        Assert.Equal("planned", (await tenant.ReadAsync("campaign", campaign, "status"))["status"].Str());

        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.UpdateRefusedAsync("Campaign", campaign, new { status = "paused" })));
        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.UpdateRefusedAsync("Campaign", campaign, new { status = "completed" })));
        foreach (var status in new[] { "active", "paused", "active", "completed" })
        {
            Assert.Equal(status, (await tenant.UpdateAsync("Campaign", campaign, new { status }, "status"))["status"].Str());
        }

        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.UpdateRefusedAsync("Campaign", campaign, new { status = "active" })));
        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.UpdateRefusedAsync("Campaign", campaign, new { status = "cancelled" })));
        Assert.Equal("completed", (await tenant.ReadAsync("campaign", campaign, "status"))["status"].Str());

        // A new campaign starts planned; bad dates and types are refused.
        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.CreateRefusedAsync("Campaign", new { name = "直接上线", type = "ad", status = "active" })));
        Assert.Equal(("INVALID_INPUT", "endDate"), Pick(await tenant.CreateRefusedAsync("Campaign", new { name = "倒序", type = "ad", startDate = "2026-06-18", endDate = "2026-06-01" })));
        Assert.Equal("INVALID_OPTION", (await tenant.CreateRefusedAsync("Campaign", new { name = "飞鸽传书", type = "pigeon" })).Code);
        Assert.Equal(("INVALID_INPUT", "endDate"), Pick(await tenant.UpdateRefusedAsync("Campaign", campaign, new { endDate = "2026-05-31" })));
        Assert.Equal(1, await tenant.CountAsync("campaigns"));
    }

    [Fact]
    public async Task The_actual_cost_is_the_exact_sum_of_the_cost_lines_and_only_theirs()
    {
        var tenant = await fixture.TenantAsync();
        var fair = await tenant.CampaignAsync("上海工博会", "event");
        await tenant.CostAsync(fair, 20_000m, "展位费");
        await tenant.CostAsync(fair, 3_456.78m, "物料制作");
        var travel = (await tenant.CreateAsync("CampaignCost", new { campaignId = fair, description = "差旅", category = "travel", amount = new { amount = 1_000.11m, currency = "CNY" }, incurredOn = "2026-09-20" }))["id"].Str();
        Assert.Equal(24_456.89m, (await tenant.ReadAsync("campaign", fair, "actualCost { amount }"))["actualCost"].Amount());

        await tenant.UpdateAsync("CampaignCost", travel, new { amount = new { amount = 2_000m, currency = "CNY" } });
        Assert.Equal(25_456.78m, (await tenant.ReadAsync("campaign", fair, "actualCost { amount }"))["actualCost"].Amount());
        await tenant.DeleteAsync("CampaignCost", travel);
        Assert.Equal(23_456.78m, (await tenant.ReadAsync("campaign", fair, "actualCost { amount }"))["actualCost"].Amount());

        // Refused, with nothing changed: writing the cost directly, moving a line, a negative or missing amount.
        var other = await tenant.CampaignAsync("线上直播", "webinar");
        var line = (await tenant.Admin.QueryAsync("{ campaignCosts(first: 1) { nodes { id } } }"))["campaignCosts"]!["nodes"]![0]!["id"].Str();
        Assert.Equal(("MKT_COMPUTED_FIELD", "actualCost"), Pick(await tenant.UpdateRefusedAsync("Campaign", fair, new { actualCost = new { amount = 1m, currency = "CNY" } })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "actualCost"), Pick(await tenant.CreateRefusedAsync("Campaign", new { name = "自带费用", type = "ad", actualCost = new { amount = 1m, currency = "CNY" } })));
        Assert.Equal(("INVALID_INPUT", "campaign"), Pick(await tenant.UpdateRefusedAsync("CampaignCost", line, new { campaignId = other })));
        Assert.Equal("OUT_OF_RANGE", (await tenant.CreateRefusedAsync("CampaignCost", new { campaignId = fair, description = "退款", amount = new { amount = -5m, currency = "CNY" } })).Code);
        Assert.Equal("REQUIRED", (await tenant.CreateRefusedAsync("CampaignCost", new { campaignId = fair, description = "没写金额" })).Code);
        Assert.Equal(23_456.78m, (await tenant.ReadAsync("campaign", fair, "actualCost { amount }"))["actualCost"].Amount());
        Assert.Null((await tenant.ReadAsync("campaign", other, "actualCost { amount }"))["actualCost"]);
        Assert.Equal(2, await tenant.CountAsync("campaignCosts"));
    }

    [Fact]
    public async Task A_campaign_cannot_become_its_own_ancestor()
    {
        var tenant = await fixture.TenantAsync();
        var year = await tenant.CampaignAsync("2026 品牌年", "content");
        var spring = await tenant.CampaignAsync("春季内容", "content", new { parentId = year });
        var article = await tenant.CampaignAsync("白皮书下载", "content", new { parentId = spring });

        Assert.Equal(("MKT_CAMPAIGN_CYCLE", "parent"), Pick(await tenant.UpdateRefusedAsync("Campaign", year, new { parentId = article })));
        Assert.Equal(("MKT_CAMPAIGN_CYCLE", "parent"), Pick(await tenant.UpdateRefusedAsync("Campaign", spring, new { parentId = spring })));
        Assert.Null((await tenant.ReadAsync("campaign", year, "parent { id }"))["parent"]);
        var children = await tenant.ReadAsync("campaign", year, "childCampaigns { nodes { name } }");
        Assert.Equal("春季内容", children["childCampaigns"]!["nodes"]![0]!["name"].Str());
    }

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
