using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Reports.ReportData;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>Date buckets (calendar and fiscal), period over period and pivots, against the figures worked out in <see cref="ReportData"/>.</summary>
[Collection(HostGroup.Name)]
public sealed class ReportPeriodTests(HostFixture fixture)
{
    [Theory]
    [InlineData("DAY", 1, "2025-01-05: 1|2025-02-14: 1|2026-01-07: 1|2026-02-03: 1|2026-02-11: 1|2026-02-20: 1", "2025-01-05")]
    [InlineData("WEEK", 1, "2025-W01: 1|2025-W07: 1|2026-W02: 1|2026-W06: 1|2026-W07: 1|2026-W08: 1", "2024-12-30")]
    [InlineData("MONTH", 1, "2025-01: 1|2025-02: 1|2026-01: 1|2026-02: 3", "2025-01-01")]
    [InlineData("QUARTER", 1, "2025-Q1: 2|2026-Q1: 4", "2025-01-01")]
    [InlineData("YEAR", 1, "2025: 2|2026: 4", "2025-01-01")]
    // Fiscal years from February: A (Jan 2025) ends FY2024, F and B make FY2025, C, D and E open FY2026.
    [InlineData("FISCAL_QUARTER", 2, "FY2024-Q4: 1|FY2025-Q1: 1|FY2025-Q4: 1|FY2026-Q1: 3", "2024-11-01")]
    [InlineData("FISCAL_YEAR", 2, "FY2024: 1|FY2025: 2|FY2026: 3", "2024-02-01")]
    public async Task Dates_group_by_calendar_and_fiscal_periods(string bucket, int fiscalStart, string expected, string firstKey)
    {
        using var client = await TenantAsync(fixture.Host);
        var result = await RunAsync(client, new { name = "By " + bucket, entity = "contact", groupBy = new[] { new { field = "nextCallOn", bucket } }, fiscalYearStartMonth = fiscalStart, chart = "LINE" });
        Assert.Equal(expected, string.Join('|', Counts(result)));
        Assert.Equal(firstKey, result["rows"]![0]!["keys"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Month_over_month_and_year_over_year_compare_with_the_earlier_periods_row()
    {
        using var client = await TenantAsync(fixture.Host);
        var result = await RunAsync(client, new
        {
            name = "Trend",
            entity = "contact",
            groupBy = new[] { new { field = "nextCallOn", bucket = "MONTH" } },
            measures = new object[]
            {
                new { name = "mom", function = "COUNT", compareTo = "PREVIOUS_PERIOD" },
                new { name = "yoy", function = "SUM", field = "score", compareTo = "PREVIOUS_YEAR" },
            },
        });

        // Counts by month 1, 1, 1, 3; score sums 10, 50, 20, 70.
        var february = Row(result, "2026-02");
        Assert.Equal(1, Value(february, "mom", "previous")!.GetValue<long>());
        Assert.Equal(200m, Value(february, "mom", "change")!.GetValue<decimal>());
        Assert.Equal(50m, Value(february, "yoy", "previous")!.GetValue<decimal>());
        Assert.Equal(40m, Value(february, "yoy", "change")!.GetValue<decimal>());

        var january = Row(result, "2026-01");
        Assert.Null(Value(january, "mom", "previous"));
        Assert.Null(Value(january, "mom", "change"));
        Assert.Equal(10m, Value(january, "yoy", "previous")!.GetValue<decimal>());
        Assert.Equal(100m, Value(january, "yoy", "change")!.GetValue<decimal>());

        var lastFebruary = Row(result, "2025-02");
        Assert.Equal(0m, Value(lastFebruary, "mom", "change")!.GetValue<decimal>());
        Assert.Null(Value(lastFebruary, "yoy", "previous"));
    }

    [Fact]
    public async Task A_pivot_crosses_row_groups_with_the_pivot_values()
    {
        using var client = await TenantAsync(fixture.Host);
        var result = await RunAsync(client, new
        {
            name = "Accounts by status",
            entity = "contact",
            groupBy = new[] { new { field = "account" } },
            pivotBy = new { field = "status" },
            measures = new object[] { new { function = "COUNT" }, new { function = "SUM", field = "score" } },
        });

        Assert.Equal(["lost", "new", "won"], result["pivotColumns"]!.AsArray().Select(c => c!["label"]!.GetValue<string>()));
        Assert.Equal(["-: 1", "Acme Retail: 2", $"{Huawei}: 3"], Counts(result));
        string Cells(string account) => string.Join(' ', Row(result, account)["cells"]!.AsArray()
            .Select(c => $"{c!["key"]!["label"]}={c["count"]}/{c["values"]!.AsArray().Single(v => v!["measure"]!.GetValue<string>() == "sumScore")!["value"]?.ToString() ?? "-"}"));
        // A cell without records has no sum; D's cell has a record without a score, summing to 0.
        Assert.Equal("lost=0/- new=1/0 won=0/-", Cells("-"));
        Assert.Equal("lost=1/30 new=0/- won=1/40", Cells("Acme Retail"));
        Assert.Equal("lost=1/50 new=0/- won=2/30", Cells(Huawei));
        Assert.Equal(80m, Value(Row(result, Huawei), "sumScore")!.GetValue<decimal>());
    }
}
