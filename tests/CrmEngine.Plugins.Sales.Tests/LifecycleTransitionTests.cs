namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>Lifecycle transitions counted from the accounts' audit trail, per period, as the caller may see them.</summary>
[Collection(SalesHostGroup.Name)]
public sealed class LifecycleTransitionTests(SalesHost fixture)
{
    private const string Query = "query($p: StatisticsPeriod, $f: Date, $t: Date) { lifecycleTransitions(period: $p, from: $f, to: $t) { periods { period start transitions { from to count } } total { from to count } } }";

    /// <summary>Today in the tenant's time zone (Beijing time, the default), the day the writes below are audited on.</summary>
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));

    private static IEnumerable<(string?, string?, int)> Matrix(System.Text.Json.Nodes.JsonNode? cells) =>
        cells!.AsArray().Select(c => (c!["from"]?.GetValue<string>(), c["to"]?.GetValue<string>(), c["count"]!.GetValue<int>()));

    private static async Task MoveAsync(GraphQLClient client, string account, params string[] stages)
    {
        foreach (var stage in stages)
        {
            await client.UpdateAsync("Account", account, new { lifecycleStage = stage });
        }
    }

    [Fact]
    public async Task Stage_changes_are_counted_per_period_from_the_history_as_a_from_to_matrix()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var p = (await admin.CreateAsync("Account", new { name = "甲", lifecycleStage = "prospect" })).Id();
        var q = (await admin.CreateAsync("Account", new { name = "乙", lifecycleStage = "prospect" })).Id();
        var r = (await admin.CreateAsync("Account", new { name = "丙", lifecycleStage = "active" })).Id();
        await MoveAsync(admin, p, "contacted", "converted");
        await MoveAsync(admin, q, "contacted");
        await MoveAsync(admin, r, "atRisk", "lost");
        await admin.UpdateAsync("Account", q, new { city = "杭州" });

        // Created: two prospects and an active account (from null); then 甲 and 乙 prospect → contacted, 甲 contacted → converted,
        // 丙 active → atRisk → lost. 乙's city change is no stage change.
        (string?, string?, int)[] expected =
        [
            (null, "active", 1), (null, "prospect", 2), ("active", "atRisk", 1), ("atRisk", "lost", 1), ("contacted", "converted", 1), ("prospect", "contacted", 2),
        ];
        var month = await admin.QueryAsync(Query, new { p = "MONTH", f = Gql.Day(Today.AddMonths(-1)), t = Gql.Day(Today) });
        var periods = month["lifecycleTransitions"]!["periods"]!.AsArray();
        Assert.Equal([$"{Today.AddMonths(-1):yyyy-MM}", $"{Today:yyyy-MM}"], periods.Select(x => x!["period"].Str()));
        Assert.Empty(periods[0]!["transitions"]!.AsArray());
        Assert.Equal(expected, Matrix(periods[1]!["transitions"]));
        Assert.Equal(expected, Matrix(month["lifecycleTransitions"]!["total"]));

        // A year before holds none of them.
        var before = await admin.QueryAsync(Query, new { p = "YEAR", f = Gql.Day(Today.AddYears(-1)) });
        Assert.Empty(before["lifecycleTransitions"]!["total"]!.AsArray());
    }

    [Fact]
    public async Task A_rep_counts_only_the_moves_of_accounts_the_rep_may_read()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("ownOnly", "OWN");
        var (_, rep) = await tenant.UserWithOnlyAsync("li@example.com", "李雷", rep: true, "ownOnly");
        var theirs = (await tenant.Admin.CreateAsync("Account", new { name = "管理员的客户", lifecycleStage = "prospect" })).Id();
        await MoveAsync(tenant.Admin, theirs, "contacted");
        var mine = (await rep.CreateAsync("Account", new { name = "李雷的客户", lifecycleStage = "prospect" })).Id();
        await MoveAsync(rep, mine, "converted");

        var seen = await rep.QueryAsync(Query, new { p = "QUARTER", f = Gql.Day(Today) });
        Assert.Equal([(null, "prospect", 1), ("prospect", "converted", 1)], Matrix(seen["lifecycleTransitions"]!["total"]));
    }

    [Fact]
    public async Task A_backwards_or_too_long_range_is_refused_with_a_typed_code()
    {
        var tenant = await fixture.TenantAsync();
        var backwards = await tenant.Admin.PostAsync(Query, new { p = "MONTH", f = "2026-05-01", t = "2026-01-01" });
        Assert.Equal(["INVALID_INPUT"], backwards.ErrorCodes);
        var tooLong = await tenant.Admin.PostAsync(Query, new { p = "YEAR", f = "2000-01-01", t = "2026-01-01" });
        Assert.Equal(["INVALID_INPUT"], tooLong.ErrorCodes);
    }
}
