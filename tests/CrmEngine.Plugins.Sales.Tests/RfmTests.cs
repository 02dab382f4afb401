namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>RFM scores and segments on five customers whose orders are dated by hand, worked out in the comments.</summary>
[Collection(SalesHostGroup.Name)]
public sealed class RfmTests(SalesHost fixture)
{
    private const string Refresh = "mutation($d: Date) { refreshRfmScores(asOf: $d) { result { asOf scored cleared } userErrors { field code message } } }";

    [Fact]
    public async Task Rfm_scores_and_segments_match_the_quintiles_worked_out_by_hand_and_follow_the_window()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var product = (await admin.CreateAsync("Product", new { name = "ERP 许可", listPrice = new { amount = 1000m }, taxRate = 0m })).Id();
        async Task<string> Account(string name) => (await admin.CreateAsync("Account", new { name })).Id();
        async Task Order(string account, string day, decimal quantity, string status = "confirmed")
        {
            var order = (await admin.CreateAsync("Order", new { accountId = account, orderDate = day })).Id();
            await admin.CreateAsync("OrderLine", new { orderId = order, productId = product, quantity });
            if (status != "confirmed")
            {
                await admin.UpdateAsync("Order", order, new { status });
            }
        }

        var a = await Account("甲：华东精工");
        var b = await Account("乙：杭州青禾");
        var c = await Account("丙：苏州明德");
        var d = await Account("丁：宁波东港");
        var e = await Account("戊：广州海川");
        var f = await Account("己：老客户");
        await Account("庚：未下单");
        await Order(a, "2026-06-20", 10);
        await Order(a, "2026-05-01", 10);
        await Order(a, "2026-03-01", 10);
        await Order(b, "2026-06-25", 1);
        await Order(b, "2026-06-28", 100, status: "cancelled");
        await Order(c, "2026-01-10", 50);
        await Order(c, "2025-12-01", 20);
        await Order(d, "2025-08-01", 2);
        foreach (var day in new[] { "2026-04-01", "2026-04-15", "2026-05-15", "2026-06-01" })
        {
            await Order(e, day, 5);
        }

        await Order(f, "2025-06-01", 40);

        // As of 2026-06-30 (the window from 2025-06-30; 己's order is older, 乙's cancelled one doesn't count):
        // days since last order 甲 10, 乙 5, 丙 171, 丁 333, 戊 29 → R 4, 5, 2, 1, 3;
        // orders 3, 1, 2, 1, 4 → F 4, 1, 3, 1, 5 (乙 and 丁 tie at the bottom);
        // amounts 30,000, 1,000, 70,000, 2,000, 20,000 → M 4, 1, 5, 2, 3.
        // High is 3 or more: 甲 444 and 戊 353 重要价值, 乙 511 一般发展, 丙 235 重要保持, 丁 112 一般挽留.
        var first = await admin.RunAsync(Refresh, new { d = "2026-06-30" });
        Assert.Equal(("2026-06-30", 5, 0), (first["asOf"].Str(), first["scored"]!.GetValue<int>(), first["cleared"]!.GetValue<int>()));
        Assert.Equal(
            new Dictionary<string, (string?, string?)>
            {
                [a] = ("444", "importantValue"), [b] = ("511", "generalDevelop"), [c] = ("235", "importantRetain"),
                [d] = ("112", "generalWinBack"), [e] = ("353", "importantValue"), [f] = (null, null),
            },
            await ScoresAsync(admin, a, b, c, d, e, f));
        var one = (await admin.QueryAsync($"{{ account(id: \"{a}\") {{ rfmRecency rfmFrequency rfmMonetary rfmScoredOn }} }}"))["account"]!;
        Assert.Equal((4, 4, 4, "2026-06-30"), (one["rfmRecency"]!.GetValue<int>(), one["rfmFrequency"]!.GetValue<int>(), one["rfmMonetary"]!.GetValue<int>(), one["rfmScoredOn"].Str()));

        // The same day again changes nothing, and writes nothing.
        var again = await admin.RunAsync(Refresh, new { d = "2026-06-30" });
        Assert.Equal((0, 0), (again["scored"]!.GetValue<int>(), again["cleared"]!.GetValue<int>()));

        // As of 2027-01-01 丁 drops out (cleared) and 丙 keeps only its January order: days 195, 190, 356, 214 →
        // R 3, 4, 1, 2; orders 3, 1, 1, 4 → F 3, 1, 1, 4; amounts 30,000, 1,000, 50,000, 20,000 → M 3, 1, 4, 2.
        var later = await admin.RunAsync(Refresh, new { d = "2027-01-01" });
        Assert.Equal((4, 1), (later["scored"]!.GetValue<int>(), later["cleared"]!.GetValue<int>()));
        Assert.Equal(
            new Dictionary<string, (string?, string?)>
            {
                [a] = ("333", "importantValue"), [b] = ("411", "generalDevelop"), [c] = ("114", "importantWinBack"),
                [d] = (null, null), [e] = ("242", "generalRetain"), [f] = (null, null),
            },
            await ScoresAsync(admin, a, b, c, d, e, f));

        // The segments are a picklist like any: grouped counts come from the aggregate API.
        var segments = (await admin.QueryAsync("{ accountsAggregate(groupBy: [{field: rfmSegment}], groupOrder: KEY_ASC) { groups { key { rfmSegment } count } } }"))["accountsAggregate"]!["groups"]!.AsArray();
        Assert.Equal(
            [("(none)", 3), ("generalDevelop", 1), ("generalRetain", 1), ("importantValue", 1), ("importantWinBack", 1)],
            segments.Select(g => (g!["key"]!["rfmSegment"]?.GetValue<string>() ?? "(none)", g["count"]!.GetValue<int>())).OrderBy(g => g.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_nightly_job_scores_as_of_the_day_in_Beijing()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var product = (await admin.CreateAsync("Product", new { name = "ERP 许可", listPrice = new { amount = 1000m }, taxRate = 0m })).Id();
        var account = (await admin.CreateAsync("Account", new { name = "北京远航科技" })).Id();
        var order = (await admin.CreateAsync("Order", new { accountId = account, orderDate = "2030-07-01" })).Id();
        await admin.CreateAsync("OrderLine", new { orderId = order, productId = product, quantity = 1m });

        // 19:00 UTC on 30 June is 03:00 on 1 July in Beijing: the order of 1 July is in the window. One customer scores 111.
        await fixture.RunJobsAsync(new DateTime(2030, 6, 30, 19, 0, 5, DateTimeKind.Utc));
        var scored = (await admin.QueryAsync($"{{ account(id: \"{account}\") {{ rfmScore rfmSegment rfmScoredOn }} }}"))["account"]!;
        Assert.Equal(("111", "generalWinBack", "2030-07-01"), (scored["rfmScore"].Str(), scored["rfmSegment"].Str(), scored["rfmScoredOn"].Str()));
    }

    [Fact]
    public async Task Rfm_fields_are_not_written_by_clients_and_only_admins_refresh_them()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var account = (await admin.CreateAsync("Account", new { name = "上海启明" })).Id();
        var refused = await admin.RefusedAsync($"mutation {{ updateAccount(id: \"{account}\", input: {{ rfmScore: \"555\" }}) {{ account {{ id }} userErrors {{ field code message }} }} }}");
        Assert.Equal(("COMPUTED_FIELD", "rfmScore"), (refused.Code, refused.Field));
        Assert.Null((await admin.QueryAsync($"{{ account(id: \"{account}\") {{ rfmScore }} }}"))["account"]!["rfmScore"]);

        var (_, rep) = await tenant.UserAsync("li@example.cn", "李娜");
        Assert.Equal("FORBIDDEN", (await rep.RefusedAsync(Refresh, new { d = "2026-06-30" })).Code);
    }

    private static async Task<Dictionary<string, (string?, string?)>> ScoresAsync(GraphQLClient admin, params string[] ids)
    {
        var scores = new Dictionary<string, (string?, string?)>();
        foreach (var id in ids)
        {
            var account = (await admin.QueryAsync($"{{ account(id: \"{id}\") {{ rfmScore rfmSegment }} }}"))["account"]!;
            scores[id] = (account["rfmScore"]?.GetValue<string>(), account["rfmSegment"]?.GetValue<string>());
        }

        return scores;
    }
}
