using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Campaign attribution and ROI, figure by figure as a finance person would redo them. The story:
/// 上海星辰科技 meets us at the trade fair (张伟 responds), downloads the white paper, a new lead
/// 王磊 from the company joins the webinar, 张伟 answers the nurture e-mail, 王磊 is converted into a
/// 120,000 deal that is won; 张伟 answers a revisit e-mail after the deal was created (too late to
/// count). 远航物流 also responds at the fair and has an open 50,000 deal.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class AttributionTests(MarketingHost fixture)
{
    private const string Report = """
        query($m: AttributionModel!, $from: Date, $to: Date) { campaignAttribution(model: $m, from: $from, to: $to) {
          wonRevenue attributedRevenue actualCost roi
          campaigns { campaign { name } actualCost leads responses opportunities wonDeals attributedPipeline attributedRevenue roi costPerLead costPerOpportunity costPerWonDeal } } }
        """;

    private const string Touches = "query($id: ID!, $m: AttributionModel!) { opportunityAttribution(id: $id, model: $m) { touches { campaign { name } roles percent amount } } }";

    [Fact]
    public async Task Each_model_divides_the_won_deal_between_the_touches_before_it_and_roi_follows_from_the_costs()
    {
        var tenant = await fixture.TenantAsync();
        var (deal, _) = await StoryAsync(tenant);

        var w = await TouchesAsync(tenant, deal, "W_SHAPED");
        Assert.Equal(
            [("工博会", "FIRST", 30m, 36_000m), ("白皮书", "LEAD_CREATION", 30m, 36_000m), ("网络研讨会", "", 10m, 12_000m), ("培育邮件", "OPPORTUNITY_CREATION", 30m, 36_000m)],
            w);
        Assert.Equal([30_000m, 30_000m, 30_000m, 30_000m], (await TouchesAsync(tenant, deal, "LINEAR")).Select(t => t.Amount));
        Assert.Equal([120_000m, 0m, 0m, 0m], (await TouchesAsync(tenant, deal, "FIRST_TOUCH")).Select(t => t.Amount));
        Assert.Equal([0m, 0m, 0m, 120_000m], (await TouchesAsync(tenant, deal, "LAST_TOUCH")).Select(t => t.Amount));

        // W-shaped: ROI = (attributed − cost) / cost per campaign; the totals' attributed revenue is the won deal, to the cent.
        var report = (await tenant.Admin.QueryAsync(Report, new { m = "W_SHAPED" }))["campaignAttribution"]!;
        Assert.Equal((120_000m, 120_000m, 46_000m, 1.6087m), (report["wonRevenue"].Dec(), report["attributedRevenue"].Dec(), report["actualCost"].Dec(), report["roi"].Dec()));
        var rows = report["campaigns"]!.AsArray().ToDictionary(r => r!["campaign"]!["name"].Str());
        Assert.Equal(
            (30_000m, 0, 2, 2, 1, 50_000m, 36_000m, 0.2m, (decimal?)null, 15_000m, 30_000m),
            Row(rows["工博会"]));
        Assert.Equal((6_000m, 0, 1, 1, 1, 0m, 36_000m, 5m, (decimal?)null, 6_000m, 6_000m), Row(rows["白皮书"]));
        Assert.Equal((8_000m, 2, 1, 1, 1, 0m, 12_000m, 0.5m, (decimal?)4_000m, 8_000m, 8_000m), Row(rows["网络研讨会"]));
        Assert.Equal((1_500m, 0, 1, 1, 1, 0m, 36_000m, 23m, (decimal?)null, 1_500m, 1_500m), Row(rows["培育邮件"]));
        Assert.Equal((500m, 0, 1, 0, 0, 0m, 0m, -1m, (decimal?)null, null, null), Row(rows["回访邮件"]));

        Assert.Equal([0m, 4m, 2.75m, 19m, -1m], await RoisAsync(tenant, "LINEAR"));
        Assert.Equal([3m, -1m, -1m, -1m, -1m], await RoisAsync(tenant, "FIRST_TOUCH"));
        Assert.Equal([-1m, -1m, -1m, 79m, -1m], await RoisAsync(tenant, "LAST_TOUCH"));

        // Won revenue counts by the day the deal closed: a period after it has none; the open pipeline stays.
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var later = (await tenant.Admin.QueryAsync(Report, new { m = "LINEAR", from = tomorrow }))["campaignAttribution"]!;
        Assert.Equal((0m, 0m), (later["wonRevenue"].Dec(), later["attributedRevenue"].Dec()));
        Assert.Equal(50_000m, later["campaigns"]!.AsArray().Sum(r => r!["attributedPipeline"].Dec()));
    }

    [Fact]
    public async Task The_funnel_runs_from_members_to_won_deals_by_campaign_and_by_channel()
    {
        var tenant = await fixture.TenantAsync();
        await StoryAsync(tenant);
        const string Funnel = "query($g: CampaignFunnelGrouping) { campaignFunnel(groupBy: $g) { campaign { name } type members responded qualified opportunities won responseRate qualificationRate winRate } }";

        var byCampaign = (await tenant.Admin.QueryAsync(Funnel, new { g = "CAMPAIGN" }))["campaignFunnel"]!.AsArray().ToDictionary(r => r!["campaign"]!["name"].Str());
        Assert.Equal((2, 2, 0, 2, 1, 1m, 0m, 0.5m), Step(byCampaign["工博会"]!));
        Assert.Equal((2, 1, 1, 1, 1, 0.5m, 1m, 1m), Step(byCampaign["网络研讨会"]!));
        Assert.Equal((1, 1, 0, 0, 0, 1m, 0m, (decimal?)null), Step(byCampaign["回访邮件"]!));

        var byType = (await tenant.Admin.QueryAsync(Funnel, new { g = "TYPE" }))["campaignFunnel"]!.AsArray().ToDictionary(r => r!["type"].Str());
        Assert.Equal(["content", "email", "event", "webinar"], byType.Keys.Order());
        Assert.Equal((2, 2, 0, 1, 1, 1m, 0m, 1m), Step(byType["email"]!));
        Assert.Null(byType["email"]!["campaign"]);
    }

    [Fact]
    public async Task Splits_that_do_not_come_out_even_give_the_spare_cent_to_the_earliest_touch()
    {
        var tenant = await fixture.TenantAsync();
        var account = await tenant.IdAsync("Account", new { name = "苏州精工机械" });
        foreach (var name in new[] { "展会", "广告", "短信" })
        {
            await tenant.RespondAsync(await tenant.MemberAsync(await tenant.CampaignAsync(name, "ad"), "account", account));
        }

        var deal = await tenant.IdAsync("Opportunity", new { name = "精工 MES", accountId = account, amount = new { amount = 100_000m, currency = "CNY" } });

        Assert.Equal([33_333.34m, 33_333.33m, 33_333.33m], (await TouchesAsync(tenant, deal, "LINEAR")).Select(t => t.Amount));
        Assert.Equal([33.3333m, 33.3333m, 33.3333m], (await TouchesAsync(tenant, deal, "LINEAR")).Select(t => t.Percent));
        // No lead: the first touch also takes the lead-creation share; the middle touch alone shares the last 10.
        Assert.Equal(
            [("展会", "FIRST,LEAD_CREATION", 60m, 60_000m), ("广告", "", 10m, 10_000m), ("短信", "OPPORTUNITY_CREATION", 30m, 30_000m)],
            await TouchesAsync(tenant, deal, "W_SHAPED"));
    }

    [Fact]
    public async Task Bad_report_arguments_are_refused_with_typed_codes()
    {
        var tenant = await fixture.TenantAsync();
        Assert.Contains("NOT_FOUND", (await tenant.Admin.PostAsync(Touches, new { id = Guid.CreateVersion7().ToString(), m = "LINEAR" })).ErrorCodes);
        Assert.Contains("INVALID_INPUT", (await tenant.Admin.PostAsync(Report, new { m = "LINEAR", from = "2026-02-01", to = "2026-01-31" })).ErrorCodes);
        Assert.NotEmpty((await tenant.Admin.PostAsync(Report, new { m = "U_SHAPED" })).ErrorCodes);
        Assert.Contains("INVALID_ID", (await tenant.Admin.PostAsync("{ campaignFunnel(campaignIds: [\"nonsense\"]) { members } }")).ErrorCodes);
    }

    /// <summary>The story of the class summary; the won deal's and the open deal's ids.</summary>
    private static async Task<(string Won, string Open)> StoryAsync(MarketingTenant tenant)
    {
        var xingchen = await tenant.IdAsync("Account", new { name = "上海星辰科技有限公司" });
        var zhang = await tenant.IdAsync("Contact", new { name = "张伟", accountId = xingchen, email = "zhang.wei@xingchen.cn" });
        var yuanhang = await tenant.IdAsync("Account", new { name = "远航物流" });
        var fair = await tenant.CampaignAsync("工博会", "event");
        var paper = await tenant.CampaignAsync("白皮书", "content");
        var webinar = await tenant.CampaignAsync("网络研讨会", "webinar");
        var nurture = await tenant.CampaignAsync("培育邮件", "email");
        var revisit = await tenant.CampaignAsync("回访邮件", "email");
        await tenant.CostAsync(fair, 20_000m, "展位");
        await tenant.CostAsync(fair, 10_000m, "搭建");
        await tenant.CostAsync(paper, 6_000m);
        await tenant.CostAsync(webinar, 8_000m);
        await tenant.CostAsync(nurture, 1_500m);
        await tenant.CostAsync(revisit, 500m);

        await tenant.RespondAsync(await tenant.MemberAsync(fair, "contact", zhang));
        await tenant.RespondAsync(await tenant.MemberAsync(fair, "account", yuanhang));
        await tenant.RespondAsync(await tenant.MemberAsync(paper, "account", xingchen));
        var wang = await tenant.IdAsync("Lead", new { name = "王磊", company = "上海星辰科技", email = "wang.lei@xingchen.cn", accountId = xingchen });
        await tenant.RespondAsync(await tenant.MemberAsync(webinar, "lead", wang));
        await tenant.MemberAsync(webinar, "lead", await tenant.IdAsync("Lead", new { name = "李娜", email = "li.na@example.cn" }));
        await tenant.RespondAsync(await tenant.MemberAsync(nurture, "contact", zhang));

        await tenant.UpdateAsync("Lead", wang, new { status = "qualified" });
        var converted = await tenant.Admin.MutateAsync(
            "mutation($id: ID!, $a: ID) { convertLead(id: $id, accountId: $a, createOpportunity: true, amount: 120000) { result { opportunity { id } } " + MarketingTenant.Errors + " } }",
            new { id = wang, a = xingchen });
        var won = converted["result"]!["opportunity"]!["id"].Str();
        await tenant.RespondAsync(await tenant.MemberAsync(revisit, "contact", zhang));
        await tenant.Admin.MutateAsync("mutation($id: ID!) { winOpportunity(id: $id) { result { status } " + MarketingTenant.Errors + " } }", new { id = won });
        var open = await tenant.IdAsync("Opportunity", new { name = "远航 WMS", accountId = yuanhang, amount = new { amount = 50_000m, currency = "CNY" } });
        return (won, open);
    }

    private static async Task<List<(string Campaign, string Roles, decimal Percent, decimal Amount)>> TouchesAsync(MarketingTenant tenant, string deal, string model) =>
        (await tenant.Admin.QueryAsync(Touches, new { id = deal, m = model }))["opportunityAttribution"]!["touches"]!.AsArray()
            .Select(t => (t!["campaign"]!["name"].Str(), string.Join(",", t["roles"]!.AsArray().Select(r => r.Str())), t["percent"].Dec(), t["amount"].Dec()))
            .ToList();

    private static async Task<List<decimal>> RoisAsync(MarketingTenant tenant, string model) =>
        (await tenant.Admin.QueryAsync(Report, new { m = model }))["campaignAttribution"]!["campaigns"]!.AsArray().Select(r => r!["roi"].Dec()).ToList();

    private static (decimal, int, int, int, int, decimal, decimal, decimal, decimal?, decimal?, decimal?) Row(JsonNode? row) => (
        row!["actualCost"].Dec(), row["leads"].Int(), row["responses"].Int(), row["opportunities"].Int(), row["wonDeals"].Int(),
        row["attributedPipeline"].Dec(), row["attributedRevenue"].Dec(), row["roi"].Dec(),
        row["costPerLead"].DecOrNull(), row["costPerOpportunity"].DecOrNull(), row["costPerWonDeal"].DecOrNull());

    private static (int, int, int, int, int, decimal, decimal, decimal?) Step(JsonNode row) => (
        row["members"].Int(), row["responded"].Int(), row["qualified"].Int(), row["opportunities"].Int(), row["won"].Int(),
        row["responseRate"].Dec(), row["qualificationRate"].Dec(), row["winRate"].DecOrNull());
}
