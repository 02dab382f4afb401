using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>Market intelligence (市场情报): competitors in deals, and the win rate against each, by hand.</summary>
[Collection(MarketingHostGroup.Name)]
public sealed class CompetitorTests(MarketingHost fixture)
{
    private const string WinRates = "query($f: Date, $t: Date) { competitorWinRates(from: $f, to: $t) { competitor { name } opportunities open won lost winRate wonAmount lostAmount reasons { reason won lost } } }";

    [Fact]
    public async Task The_win_rate_against_each_competitor_is_won_over_won_and_lost_with_the_amounts_and_reasons()
    {
        var tenant = await fixture.TenantAsync();
        var account = await tenant.IdAsync("Account", new { name = "华东制造集团" });
        var (huawei, ali, tencent) = (await CompetitorAsync(tenant, "华为云"), await CompetitorAsync(tenant, "阿里云"), await CompetitorAsync(tenant, "腾讯云"));
        var d1 = await DealAsync(tenant, account, "云迁移一期", 100_000m, "won");
        var d2 = await DealAsync(tenant, account, "数据平台", 60_000m, "won");
        var d3 = await DealAsync(tenant, account, "灾备中心", 40_000m, "lost");
        var d4 = await DealAsync(tenant, account, "边缘计算", 80_000m, "lost");
        var d5 = await DealAsync(tenant, account, "云迁移二期", 30_000m, "open");
        foreach (var (deal, competitor, reason) in new[] { (d1, huawei, "product"), (d3, huawei, "price"), (d4, huawei, "price"), (d5, huawei, (string?)null), (d2, ali, "relationship"), (d4, ali, "service") })
        {
            await tenant.IdAsync("OpportunityCompetitor", new { opportunityId = deal, competitorId = competitor, reason });
        }

        var rows = await RatesAsync(tenant, null, null);

        // 华为云: in 4 deals; won 1 (100,000), lost 2 (40,000 + 80,000), one open: 1 / (1 + 2) = 0.3333.
        Assert.Equal("{\"competitor\":{\"name\":\"华为云\"},\"opportunities\":4,\"open\":1,\"won\":1,\"lost\":2,\"winRate\":0.3333,\"wonAmount\":100000,\"lostAmount\":120000,\"reasons\":[{\"reason\":\"price\",\"won\":0,\"lost\":2},{\"reason\":\"product\",\"won\":1,\"lost\":0}]}", Json(rows["华为云"]));
        // 阿里云: won 1 of 2 closed: 0.5.
        Assert.Equal("{\"competitor\":{\"name\":\"阿里云\"},\"opportunities\":2,\"open\":0,\"won\":1,\"lost\":1,\"winRate\":0.5,\"wonAmount\":60000,\"lostAmount\":80000,\"reasons\":[{\"reason\":\"relationship\",\"won\":1,\"lost\":0},{\"reason\":\"service\",\"won\":0,\"lost\":1}]}", Json(rows["阿里云"]));
        // 腾讯云 was in no deal: no rate.
        Assert.Equal((0, null), (rows["腾讯云"]["opportunities"].Int(), rows["腾讯云"]["winRate"]?.GetValue<decimal>()));

        // A period after today holds no closed deal: the open one still counts as open. Two UTC days on,
        // so it is after today in the tenant's zone too (Asia/Shanghai is already tomorrow from 16:00 UTC).
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var later = await RatesAsync(tenant, tomorrow, tomorrow);
        Assert.Equal((4, 1, 0, 0, null), (later["华为云"]["opportunities"].Int(), later["华为云"]["open"].Int(), later["华为云"]["won"].Int(), later["华为云"]["lost"].Int(), later["华为云"]["winRate"]?.GetValue<decimal>()));
        Assert.Equal(4, (await tenant.ReadAsync("competitor", huawei, "opportunityLinks { totalCount }"))["opportunityLinks"]!["totalCount"].Int());
        Assert.Equal(0, (await tenant.ReadAsync("competitor", tencent, "opportunityLinks { totalCount }"))["opportunityLinks"]!["totalCount"].Int());
        Assert.Equal(2, (await tenant.ReadAsync("opportunity", d4, "competitorLinks { totalCount }"))["competitorLinks"]!["totalCount"].Int());
    }

    [Fact]
    public async Task A_competitor_is_in_a_deal_once_and_bad_input_is_refused_with_nothing_written()
    {
        var tenant = await fixture.TenantAsync();
        var account = await tenant.IdAsync("Account", new { name = "华南零售" });
        var huawei = await CompetitorAsync(tenant, "华为云");
        var ali = await CompetitorAsync(tenant, "阿里云");
        var deal = await DealAsync(tenant, account, "门店系统", 50_000m, "open");
        var other = await DealAsync(tenant, account, "会员系统", 20_000m, "open");
        var link = await tenant.IdAsync("OpportunityCompetitor", new { opportunityId = deal, competitorId = huawei, reason = "price" });

        Assert.Equal(("MKT_ALREADY_LINKED", "competitor"), Pick(await tenant.CreateRefusedAsync("OpportunityCompetitor", new { opportunityId = deal, competitorId = huawei })));
        Assert.Equal(("INVALID_INPUT", "opportunity"), Pick(await tenant.UpdateRefusedAsync("OpportunityCompetitor", link, new { opportunityId = other })));
        Assert.Equal(("INVALID_INPUT", "competitor"), Pick(await tenant.UpdateRefusedAsync("OpportunityCompetitor", link, new { competitorId = ali })));
        Assert.Equal("UNIQUE_VIOLATION", (await tenant.CreateRefusedAsync("Competitor", new { name = "华为云" })).Code);
        Assert.Equal("INVALID_OPTION", (await tenant.CreateRefusedAsync("OpportunityCompetitor", new { opportunityId = other, competitorId = ali, reason = "luck" })).Code);
        Assert.Equal(["INVALID_INPUT"], (await tenant.Admin.PostAsync("query($f: Date, $t: Date) { competitorWinRates(from: $f, to: $t) { won } }", new { f = "2026-12-31", t = "2026-01-01" })).ErrorCodes);

        Assert.Equal((2, 1), (await tenant.CountAsync("competitors"), await tenant.CountAsync("opportunityCompetitors")));
        Assert.Equal(deal, (await tenant.ReadAsync("opportunityCompetitor", link, "opportunity { id }"))["opportunity"]!["id"].Str());
    }

    private static async Task<string> CompetitorAsync(MarketingTenant tenant, string name) =>
        await tenant.IdAsync("Competitor", new { name, threatLevel = "high" });

    private static async Task<string> DealAsync(MarketingTenant tenant, string account, string name, decimal amount, string outcome)
    {
        var deal = await tenant.IdAsync("Opportunity", new { name, accountId = account, amount = new { amount, currency = "CNY" } });
        if (outcome == "won")
        {
            await tenant.Admin.MutateAsync("mutation($id: ID!) { winOpportunity(id: $id) { result { status } " + MarketingTenant.Errors + " } }", new { id = deal });
        }
        else if (outcome == "lost")
        {
            await tenant.Admin.MutateAsync("mutation($id: ID!) { loseOpportunity(id: $id, reason: \"competitor\") { result { status } " + MarketingTenant.Errors + " } }", new { id = deal });
        }

        return deal;
    }

    private static async Task<Dictionary<string, JsonNode>> RatesAsync(MarketingTenant tenant, string? from, string? to) =>
        (await tenant.Admin.QueryAsync(WinRates, new { f = from, t = to }))["competitorWinRates"]!.AsArray().ToDictionary(r => r!["competitor"]!["name"].Str(), r => r!);

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(JsonNode row) => row.ToJsonString(Readable);

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
