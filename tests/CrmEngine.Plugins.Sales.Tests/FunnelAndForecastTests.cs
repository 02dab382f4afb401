using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// The funnel and the forecast on a small fixture recorded last quarter with known dates, so every
/// count, amount, rate and day is worked out by hand.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class FunnelAndForecastTests(SalesHost fixture)
{
    [Fact]
    public async Task Funnel_and_forecast_match_the_figures_worked_out_by_hand()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (wang, _) = await tenant.UserAsync("wang@example.cn", "王经理", rep: false);
        var (li, _) = await tenant.UserAsync("li@example.cn", "李娜");
        var (zhao, _) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        var team = await tenant.TeamAsync("华南销售部", wang, li, zhao);

        // Last quarter, so every date is in the past: B is its first day plus a day, 02:00 UTC.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
        var quarter = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1).AddMonths(-3);
        var b = quarter.AddDays(1).ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc);
        var account = await admin.CreateAsync("Account", new { name = "广州海川贸易有限公司" });

        async Task<string> Opportunity(string name, decimal amount, string owner, int closeInDays) =>
            (await admin.CreateAsync("Opportunity", new { name, accountId = account.Id(), amount = new { amount }, ownerId = owner, stageEnteredAt = Gql.Iso(b), expectedCloseDate = Gql.Day(quarter.AddDays(closeInDays)) })).Id();
        async Task Move(string id, string stage, int day) =>
            await admin.RunAsync("mutation($id: ID!, $s: String!, $at: DateTime) { moveOpportunity(id: $id, stage: $s, at: $at) { result { id } userErrors { field code message } } }", new { id, s = stage, at = Gql.Iso(b.AddDays(day)) });

        var f1 = await Opportunity("F1", 10000m, zhao, 80);
        var f2 = await Opportunity("F2", 20000m, zhao, 60);
        var f3 = await Opportunity("F3", 30000m, zhao, 50);
        await Opportunity("F4", 40000m, zhao, 70);
        await Opportunity("L1 (another rep)", 5000m, li, 30);
        await Move(f1, "needsAnalysis", 2);
        await Move(f1, "proposal", 5);
        await Move(f1, "negotiation", 9);
        await admin.RunAsync("mutation($id: ID!, $at: DateTime) { winOpportunity(id: $id, reason: \"price\", at: $at) { result { id } userErrors { field code message } } }", new { id = f1, at = Gql.Iso(b.AddDays(10)) });
        await Move(f2, "needsAnalysis", 4);
        await Move(f2, "proposal", 6);
        await Move(f3, "needsAnalysis", 1);
        await admin.RunAsync("mutation($id: ID!, $at: DateTime) { loseOpportunity(id: $id, reason: \"competitor\", note: \"输给了竞品\", at: $at) { result { id } userErrors { field code message } } }", new { id = f3, at = Gql.Iso(b.AddDays(3)) });

        // Now in: prospecting F4 (40,000 × 10 % = 4,000), proposal F2 (20,000 × 50 % = 10,000), won F1, lost F3.
        // Furthest reached: F1 won, F2 proposal, F3 needs analysis, F4 prospecting → reached 4, 3, 2, 1, 1:
        // conversions 3/4, 2/3, 1/2, 1/1. Completed stays: prospecting 2, 4, 1 days (avg 2.33); needs
        // analysis 3, 2, 2 (2.33); proposal 4; negotiation 1.
        var funnel = (await admin.QueryAsync($"{{ salesFunnel(ownerId: \"{zhao}\") {{ stages {{ stage {{ key }} count amount weightedAmount reached conversionRate averageDaysInStage }} }} }}"))["salesFunnel"]!["stages"]!.AsArray();
        Assert.Equal(
            [
                ("prospecting", 1, 40000m, 4000m, 4, (decimal?)0.75m, (decimal?)2.33m),
                ("needsAnalysis", 0, 0m, 0m, 3, 0.6667m, 2.33m),
                ("proposal", 1, 20000m, 10000m, 2, 0.5m, 4.00m),
                ("negotiation", 0, 0m, 0m, 1, 1m, 1.00m),
                ("won", 1, 10000m, 10000m, 1, null, null),
                ("lost", 1, 30000m, 0m, 1, null, null),
            ],
            funnel.Select(Stage));

        // Forecast for 赵磊 last quarter: open F2 (best case) and F4 (pipeline) → pipeline 60,000, weighted 14,000;
        // won F1 10,000 → commit 10,000, best case 30,000. Targets: the quarter's 50,000 and its first month's
        // 10,000 → 60,000, attainment 10,000 / 60,000 = 0.1667. The team's target is 200,000.
        await admin.CreateAsync("Target", new { periodType = "quarter", periodStart = Gql.Day(quarter), amount = new { amount = 50000m }, ownerId = zhao });
        await admin.CreateAsync("Target", new { periodType = "month", periodStart = Gql.Day(quarter), amount = new { amount = 10000m }, ownerId = zhao });
        await admin.CreateAsync("Target", new { periodType = "quarter", periodStart = Gql.Day(quarter), amount = new { amount = 200000m }, teamId = "华南销售部" });
        const string Figures = "ownerId pipeline weighted commit bestCase closedWon target attainment";
        var mine = Assert.Single((await admin.QueryAsync($"{{ salesForecast(period: QUARTER, from: \"{Gql.Day(quarter)}\", to: \"{Gql.Day(quarter.AddDays(5))}\", ownerId: \"{zhao}\") {{ period owners {{ {Figures} }} total {{ {Figures} }} }} }}"))["salesForecast"]!.AsArray())!;
        Assert.Equal($"{quarter.Year}-Q{((quarter.Month - 1) / 3) + 1}", mine["period"].Str());
        Assert.Equal((zhao, 60000m, 14000m, 10000m, 30000m, 10000m, (decimal?)60000m, (decimal?)0.1667m), Row(Assert.Single(mine["owners"]!.AsArray())!));

        // The team: 李娜's L1 (5,000 at 10 %) joins the pipeline; the total row carries the team target: 10,000 / 200,000 = 0.05.
        var byTeam = Assert.Single((await admin.QueryAsync($"{{ salesForecast(period: QUARTER, from: \"{Gql.Day(quarter)}\", to: \"{Gql.Day(quarter)}\", teamId: \"{team}\") {{ owners {{ {Figures} }} total {{ {Figures} }} }} }}"))["salesForecast"]!.AsArray())!;
        Assert.Equal(2, byTeam["owners"]!.AsArray().Count);
        var total = byTeam["total"]!;
        Assert.Equal((65000m, 14500m, 10000m, 30000m, 10000m, 200000m, 0.05m), (total["pipeline"].Dec(), total["weighted"].Dec(), total["commit"].Dec(), total["bestCase"].Dec(), total["closedWon"].Dec(), total["target"].Dec(), total["attainment"].Dec()));

        // Monthly: the quarter's first month holds F1's win and the month target (10,000 / 10,000 = 1).
        var months = (await admin.QueryAsync($"{{ salesForecast(period: MONTH, from: \"{Gql.Day(quarter)}\", to: \"{Gql.Day(quarter.AddMonths(2))}\", ownerId: \"{zhao}\") {{ period total {{ closedWon target attainment pipeline }} }} }}"))["salesForecast"]!.AsArray();
        Assert.Equal(3, months.Count);
        Assert.Equal((10000m, 10000m, 1m), (months[0]!["total"]!["closedWon"].Dec(), months[0]!["total"]!["target"].Dec(), months[0]!["total"]!["attainment"].Dec()));
    }

    private static (string, int, decimal, decimal, int, decimal?, decimal?) Stage(JsonNode? row) =>
        (row!["stage"]!["key"].Str(), row["count"]!.GetValue<int>(), row["amount"].Dec(), row["weightedAmount"].Dec(), row["reached"]!.GetValue<int>(),
            row["conversionRate"]?.GetValue<decimal>(), row["averageDaysInStage"]?.GetValue<decimal>());

    private static (string, decimal, decimal, decimal, decimal, decimal, decimal?, decimal?) Row(JsonNode row) =>
        (row["ownerId"].Str(), row["pipeline"].Dec(), row["weighted"].Dec(), row["commit"].Dec(), row["bestCase"].Dec(), row["closedWon"].Dec(), row["target"]?.GetValue<decimal>(), row["attainment"]?.GetValue<decimal>());
}
