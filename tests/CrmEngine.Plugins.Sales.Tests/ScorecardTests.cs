using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// Rep and team scorecards on a fixture recorded last quarter (and one deal the quarter before, for
/// the trend), with every figure worked out by hand in the comments.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class ScorecardTests(SalesHost fixture)
{
    private const string Figures = "ownerId teamId name rank wonAmount wonCount lostCount winRate averageDealSize averageCycleDays activities target attainment previousWonAmount wonAmountChange";

    [Fact]
    public async Task Scorecards_by_rep_and_by_team_match_the_figures_worked_out_by_hand()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (wang, _) = await tenant.UserAsync("wang@example.cn", "王经理", rep: false);
        var (li, _) = await tenant.UserAsync("li@example.cn", "李娜");
        var (zhao, _) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        var (sun, _) = await tenant.UserAsync("sun@example.cn", "孙悦");
        var south = await tenant.TeamAsync("华南销售部", wang, li, zhao);
        var north = await tenant.TeamAsync("华北销售部", sun, sun);

        // Last quarter Q, so every date is past; B is Q's second day, 10:00 in Shanghai.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
        var quarter = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1).AddMonths(-3);
        var b = quarter.AddDays(1).ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc);
        var account = await admin.CreateAsync("Account", new { name = "广州海川贸易有限公司" });

        async Task Deal(string name, decimal amount, string owner, DateTime opened, bool won, int closedAfterDays)
        {
            var id = (await admin.CreateAsync("Opportunity", new { name, accountId = account.Id(), amount = new { amount }, ownerId = owner, stageEnteredAt = Gql.Iso(opened), expectedCloseDate = Gql.Day(quarter.AddDays(60)) })).Id();
            var close = won
                ? "mutation($id: ID!, $at: DateTime) { winOpportunity(id: $id, reason: \"price\", at: $at) { result { id } userErrors { field code message } } }"
                : "mutation($id: ID!, $at: DateTime) { loseOpportunity(id: $id, reason: \"competitor\", at: $at) { result { id } userErrors { field code message } } }";
            await admin.RunAsync(close, new { id, at = Gql.Iso(opened.AddDays(closedAfterDays)) });
        }

        async Task Activity(string owner, DateTime at, string status = "done") =>
            await admin.CreateAsync("Activity", new { subject = "回访", type = "call", status, occurredAt = Gql.Iso(at), accountId = account.Id(), ownerId = owner });

        // 赵磊: won 10,000 (cycle 10 days) and 30,000 (20 days), lost 5,000. 李娜: won 50,000 (30 days), lost two.
        // 孙悦: won 20,000 (15 days). The quarter before, 赵磊 won 20,000.
        await Deal("Z1", 10000m, zhao, b, won: true, 10);
        await Deal("Z2", 30000m, zhao, b, won: true, 20);
        await Deal("Z3", 5000m, zhao, b, won: false, 5);
        await Deal("L1", 50000m, li, b, won: true, 30);
        await Deal("L2", 8000m, li, b, won: false, 3);
        await Deal("L3", 2000m, li, b, won: false, 4);
        await Deal("S1", 20000m, sun, b, won: true, 15);
        await Deal("P1 (the quarter before)", 20000m, zhao, b.AddMonths(-3), won: true, 5);

        // Completed activities in Q: 赵磊 three (a planned one and one the quarter before don't count), 李娜 one.
        await Activity(zhao, b.AddDays(1));
        await Activity(zhao, b.AddDays(2));
        await Activity(zhao, b.AddDays(3));
        await Activity(zhao, b.AddDays(4), status: "planned");
        await Activity(zhao, b.AddMonths(-3));
        await Activity(li, b.AddDays(1));

        await admin.CreateAsync("Target", new { periodType = "quarter", periodStart = Gql.Day(quarter), amount = new { amount = 50000m }, ownerId = zhao });
        await admin.CreateAsync("Target", new { periodType = "quarter", periodStart = Gql.Day(quarter), amount = new { amount = 100000m }, ownerId = li });
        await admin.CreateAsync("Target", new { periodType = "quarter", periodStart = Gql.Day(quarter), amount = new { amount = 200000m }, teamId = "华南销售部" });

        // By rep, ranked by won amount: 李娜 50,000 (1 of 3 closed won: 0.3333; attainment 0.5), 赵磊 40,000 (2 of 3:
        // 0.6667; deal size 20,000; cycle (10 + 20) / 2 = 15; 0.8 of 50,000; up (40,000 − 20,000) / 20,000 = 1 on the
        // quarter before), 孙悦 20,000 (no target). Total: 110,000 from 4 of 7 (0.5714), 27,500 a deal, cycle
        // (10 + 20 + 30 + 15) / 4 = 18.75, 4 activities, target 150,000 (the reps'), 0.7333, up 4.5 on 20,000.
        var byRep = Assert.Single((await admin.QueryAsync($"{{ salesScorecard(period: QUARTER, from: \"{Gql.Day(quarter)}\") {{ period rows {{ {Figures} }} total {{ {Figures} }} }} }}"))["salesScorecard"]!.AsArray())!;
        Assert.Equal($"{quarter.Year}-Q{((quarter.Month - 1) / 3) + 1}", byRep["period"].Str());
        Assert.Equal(
            [
                (li, 1, 50000m, 1, 2, (decimal?)0.3333m, (decimal?)50000m, (decimal?)30m, 1, (decimal?)100000m, (decimal?)0.5m, 0m, (decimal?)null),
                (zhao, 2, 40000m, 2, 1, 0.6667m, 20000m, 15m, 3, 50000m, 0.8m, 20000m, 1m),
                (sun, 3, 20000m, 1, 0, 1m, 20000m, 15m, 0, null, null, 0m, null),
            ],
            byRep["rows"]!.AsArray().Select(r => Row(r!, "ownerId")));
        Assert.Equal((string.Empty, (int?)null, 110000m, 4, 3, (decimal?)0.5714m, (decimal?)27500m, (decimal?)18.75m, 4, (decimal?)150000m, (decimal?)0.7333m, 20000m, (decimal?)4.5m), Row(byRep["total"]!, "ownerId"));

        // By team: 华南 (李娜, 赵磊 and their manager) 90,000 from 3 of 6 (0.5), 30,000 a deal, cycle 20, 4 activities,
        // 0.45 of its 200,000, up 3.5; 华北 20,000. The total row's target is the teams' 200,000: 0.55.
        var byTeam = Assert.Single((await admin.QueryAsync($"{{ salesScorecard(period: QUARTER, from: \"{Gql.Day(quarter)}\", groupBy: TEAM) {{ rows {{ {Figures} }} total {{ {Figures} }} }} }}"))["salesScorecard"]!.AsArray())!;
        Assert.Equal(
            [
                ("华南销售部", 1, 90000m, 3, 3, (decimal?)0.5m, (decimal?)30000m, (decimal?)20m, 4, (decimal?)200000m, (decimal?)0.45m, 20000m, (decimal?)3.5m),
                ("华北销售部", 2, 20000m, 1, 0, 1m, 20000m, 15m, 0, null, null, 0m, null),
            ],
            byTeam["rows"]!.AsArray().Select(r => Row(r!, "name")));
        Assert.Equal((200000m, 0.55m), (byTeam["total"]!["target"].Dec(), byTeam["total"]!["attainment"].Dec()));

        // A row's teamId (the id a target's teamId holds) names the team again, as its global id does.
        var northId = byTeam["rows"]![1]!["teamId"].Str();
        foreach (var reference in new[] { northId, north })
        {
            var one = Assert.Single((await admin.QueryAsync($"{{ salesScorecard(period: QUARTER, from: \"{Gql.Day(quarter)}\", groupBy: TEAM, teamId: \"{reference}\") {{ rows {{ name wonAmount }} }} }}"))["salesScorecard"]!.AsArray())!;
            Assert.Equal(("华北销售部", 20000m), (Assert.Single(one["rows"]!.AsArray())!["name"].Str(), one["rows"]![0]!["wonAmount"].Dec()));
        }

        // One team's reps: 孙悦 is left out.
        var southReps = Assert.Single((await admin.QueryAsync($"{{ salesScorecard(period: QUARTER, from: \"{Gql.Day(quarter)}\", teamId: \"{south}\") {{ rows {{ ownerId }} total {{ wonAmount }} }} }}"))["salesScorecard"]!.AsArray())!;
        Assert.Equal([li, zhao], southReps["rows"]!.AsArray().Select(r => r!["ownerId"].Str()));
        Assert.Equal(90000m, southReps["total"]!["wonAmount"].Dec());

        // Month by month: Z1 (day 11), Z2 (day 21) and S1 (day 16) close in the first month, L1 (day 31) in the second:
        // 60,000 (nothing the month before), then 50,000 (−0.1667), then 0 (−1).
        var months = (await admin.QueryAsync($"{{ salesScorecard(period: MONTH, from: \"{Gql.Day(quarter)}\", to: \"{Gql.Day(quarter.AddMonths(2))}\") {{ total {{ wonAmount previousWonAmount wonAmountChange }} }} }}"))["salesScorecard"]!.AsArray();
        Assert.Equal(
            [(60000m, 0m, (decimal?)null), (50000m, 60000m, -0.1667m), (0m, 50000m, -1m)],
            months.Select(m => (m!["total"]!["wonAmount"].Dec(), m["total"]!["previousWonAmount"].Dec(), m["total"]!["wonAmountChange"]?.GetValue<decimal>())));
    }

    [Fact]
    public async Task A_scorecard_for_a_backwards_range_or_an_unknown_team_is_refused_with_a_typed_code()
    {
        var tenant = await fixture.TenantAsync();
        var backwards = await tenant.Admin.PostAsync("{ salesScorecard(period: MONTH, from: \"2026-05-01\", to: \"2026-01-01\") { period } }");
        Assert.Equal(["INVALID_INPUT"], backwards.ErrorCodes);
        var unknown = await tenant.Admin.PostAsync("{ salesScorecard(period: MONTH, teamId: \"no such team\") { period } }");
        Assert.Equal(["NOT_FOUND"], unknown.ErrorCodes);
    }

    private static (string, int?, decimal, int, int, decimal?, decimal?, decimal?, int, decimal?, decimal?, decimal, decimal?) Row(JsonNode row, string key) =>
        (row[key]?.GetValue<string>() ?? string.Empty, row["rank"]?.GetValue<int>(), row["wonAmount"].Dec(), row["wonCount"]!.GetValue<int>(), row["lostCount"]!.GetValue<int>(),
            row["winRate"]?.GetValue<decimal>(), row["averageDealSize"]?.GetValue<decimal>(), row["averageCycleDays"]?.GetValue<decimal>(), row["activities"]!.GetValue<int>(),
            row["target"]?.GetValue<decimal>(), row["attainment"]?.GetValue<decimal>(), row["previousWonAmount"].Dec(), row["wonAmountChange"]?.GetValue<decimal>());
}
