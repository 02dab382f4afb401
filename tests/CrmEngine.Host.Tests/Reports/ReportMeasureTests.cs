using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Reports.ReportData;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>Grouped measures, shares of the total, top N and record reports, against the figures worked out in <see cref="ReportData"/>.</summary>
[Collection(HostGroup.Name)]
public sealed class ReportMeasureTests(HostFixture fixture)
{
    [Fact]
    public async Task Each_measure_is_computed_per_group_and_over_everything()
    {
        using var client = await TenantAsync(fixture.Host);
        var result = await RunAsync(client, new
        {
            name = "By status",
            entity = "contact",
            groupBy = new[] { new { field = "status" } },
            measures = new object[]
            {
                new { function = "COUNT" },
                new { function = "SUM", field = "score" },
                new { function = "AVG", field = "score" },
                new { function = "MIN", field = "score" },
                new { function = "MAX", field = "score" },
                new { function = "COUNT_DISTINCT", field = "account" },
                new { name = "budget", function = "SUM", field = "budget" },
            },
            chart = "BAR",
        });

        Assert.Equal(["lost: 2", "new: 1", "won: 3"], Counts(result));
        var won = Row(result, "won");
        Assert.Equal(3, Value(won, "count")!.GetValue<long>());
        Assert.Equal(70m, Value(won, "sumScore")!.GetValue<decimal>());
        Assert.Equal(23.3333m, Math.Round(Value(won, "avgScore")!.GetValue<decimal>(), 4));
        Assert.Equal(10, Value(won, "minScore")!.GetValue<long>());
        Assert.Equal(40, Value(won, "maxScore")!.GetValue<long>());
        Assert.Equal(2, Value(won, "countDistinctAccount")!.GetValue<long>());
        Assert.Equal(600.5m, Value(won, "budget")!.GetValue<decimal>());

        var lost = Row(result, "lost");
        Assert.Equal(80m, Value(lost, "sumScore")!.GetValue<decimal>());
        Assert.Equal(40m, Value(lost, "avgScore")!.GetValue<decimal>());
        Assert.Equal(2, Value(lost, "countDistinctAccount")!.GetValue<long>());

        // D has no score and no account: a sum of 0 (as the engine's aggregates give it), no average, no accounts.
        var fresh = Row(result, "new");
        Assert.Equal(0m, Value(fresh, "sumScore")!.GetValue<decimal>());
        Assert.Null(Value(fresh, "avgScore"));
        Assert.Equal(0, Value(fresh, "countDistinctAccount")!.GetValue<long>());

        var totals = result["totals"]!;
        Assert.Equal(6, totals["count"]!.GetValue<long>());
        Assert.Equal(150m, Value(totals, "sumScore")!.GetValue<decimal>());
        Assert.Equal(30m, Value(totals, "avgScore")!.GetValue<decimal>());
        Assert.Equal(2, Value(totals, "countDistinctAccount")!.GetValue<long>());
        Assert.Equal("BAR", result["chart"]!.GetValue<string>());
    }

    [Fact]
    public async Task Percent_of_total_is_each_groups_share_of_the_reports_total()
    {
        using var client = await TenantAsync(fixture.Host);
        var result = await RunAsync(client, new
        {
            name = "Shares",
            entity = "contact",
            groupBy = new[] { new { field = "status" } },
            measures = new object[] { new { function = "COUNT", percentOfTotal = true }, new { function = "SUM", field = "score", percentOfTotal = true } },
        });

        // Counts 3, 2, 1 of 6; score sums 70, 80 and none of 150.
        Assert.Equal(50.00m, Value(Row(result, "won"), "count", "percentOfTotal")!.GetValue<decimal>());
        Assert.Equal(33.33m, Value(Row(result, "lost"), "count", "percentOfTotal")!.GetValue<decimal>());
        Assert.Equal(16.67m, Value(Row(result, "new"), "count", "percentOfTotal")!.GetValue<decimal>());
        Assert.Equal(46.67m, Value(Row(result, "won"), "sumScore", "percentOfTotal")!.GetValue<decimal>());
        Assert.Equal(53.33m, Value(Row(result, "lost"), "sumScore", "percentOfTotal")!.GetValue<decimal>());
        Assert.Equal(0m, Value(Row(result, "new"), "sumScore", "percentOfTotal")!.GetValue<decimal>());
        Assert.Equal(100m, Value(result["totals"]!, "count", "percentOfTotal")!.GetValue<decimal>());
    }

    [Fact]
    public async Task Top_n_keeps_the_groups_with_the_largest_measure()
    {
        using var client = await TenantAsync(fixture.Host);
        var byCount = await RunAsync(client, new { name = "Top statuses", entity = "contact", groupBy = new[] { new { field = "status" } }, top = 2 });
        Assert.Equal(["won: 3", "lost: 2"], Counts(byCount));
        Assert.True(byCount["hasMoreRows"]!.GetValue<bool>());

        // By score: Huawei 10 + 50 + 20 = 80 beats Acme 30 + 40 = 70 though both are ahead of no account.
        var byScore = await RunAsync(client, new
        {
            name = "Top account",
            entity = "contact",
            groupBy = new[] { new { field = "account" } },
            measures = new object[] { new { function = "COUNT" }, new { function = "SUM", field = "score" } },
            top = 1,
            topBy = "sumScore",
        });
        Assert.Equal([$"{Huawei}: 3"], Counts(byScore));
        Assert.Equal(80m, Value(byScore["rows"]![0]!, "sumScore")!.GetValue<decimal>());
        Assert.True(byScore["hasMoreRows"]!.GetValue<bool>());
        var huaweiId = (await client.QueryAsync("{ accounts(filter: { industry: { eq: \"telecom\" } }) { nodes { id } } }"))["accounts"]!["nodes"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(huaweiId, byScore["rows"]![0]!["keys"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_record_report_lists_columns_through_lookups_with_the_totals()
    {
        using var client = await TenantAsync(fixture.Host);
        var result = await RunAsync(client, new
        {
            name = "Won contacts",
            entity = "contact",
            columns = new[] { "name", "account.name", "account.industry", "score" },
            filter = new { status = new { eq = "won" } },
            measures = new object[] { new { function = "COUNT" }, new { function = "SUM", field = "score" } },
            top = 2,
        });

        Assert.Equal(["name", "account.name", "account.industry", "score"], result["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(
            ["A|" + Huawei + "|telecom|10", "B|" + Huawei + "|telecom|20"],
            result["rows"]!.AsArray().Select(r => string.Join('|', r!["columns"]!.AsArray().Select(c => c?.ToString()))));
        Assert.All(result["rows"]!.AsArray(), r => Assert.NotNull(r!["recordId"]));
        Assert.True(result["hasMoreRows"]!.GetValue<bool>());
        Assert.Equal(3, result["totals"]!["count"]!.GetValue<long>());
        Assert.Equal(70m, Value(result["totals"]!, "sumScore")!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_runs_filter_narrows_the_saved_one()
    {
        using var client = await TenantAsync(fixture.Host);
        var result = await RunAsync(client, new { name = "Won by account", entity = "contact", filter = new { status = new { eq = "won" } }, groupBy = new[] { new { field = "account" } } },
            "{ filter: { score: { gte: 20 } } }");
        Assert.Equal(["Acme Retail: 1", $"{Huawei}: 1"], Counts(result));
        Assert.Equal(2, result["totals"]!["count"]!.GetValue<long>());
    }
}
