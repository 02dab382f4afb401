using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Reports.ReportData;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>Dashboards: ordered sets of reports, each run with the viewer's rights (the <see cref="Office"/>: bob can't read account margins).</summary>
[Collection(HostGroup.Name)]
public sealed class DashboardTests(HostFixture fixture)
{
    private const string SaveDashboard = "mutation($id: ID, $input: DashboardInput!) { saveDashboard(id: $id, input: $input) { dashboard { id name reportIds } userErrors { field code } } }";
    private const string RunDashboard = "query($id: ID!) { runDashboard(id: $id) { position report { name } result { totals { count values { measure value } } } error { code field } } }";

    private static readonly object Public = new { access = "PUBLIC" };

    [Fact]
    public async Task A_dashboard_runs_its_reports_in_order_each_with_the_viewers_rights()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var dave = office.As["dave"];
        var count = await SaveAsync(dave, new { name = "Accounts", entity = "account", sharing = Public });
        var margin = await SaveAsync(dave, new { name = "Margin", entity = "account", measures = new[] { new { function = "SUM", field = "margin" } }, sharing = Public });
        var saved = await dave.MutateAsync(SaveDashboard, new { input = new { name = "Overview", reportIds = new[] { margin, count }, sharing = Public } });
        var id = saved["dashboard"]!["id"]!.GetValue<string>();
        Assert.Equal([margin, count], saved["dashboard"]!["reportIds"]!.AsArray().Select(r => r!.GetValue<string>()));

        var daves = (await dave.QueryAsync(RunDashboard, new { id }))["runDashboard"]!.AsArray();
        Assert.Equal(["Margin", "Accounts"], daves.Select(i => i!["report"]!["name"]!.GetValue<string>()));
        Assert.Equal(60m, daves[0]!["result"]!["totals"]!["values"]![0]!["value"]!.GetValue<decimal>());
        Assert.Equal(3, daves[1]!["result"]!["totals"]!["count"]!.GetValue<long>());

        // bob can't read margins: that report is an error in his run, the other his own count.
        var bobs = (await office.As["bob"].QueryAsync(RunDashboard, new { id }))["runDashboard"]!.AsArray();
        Assert.Null(bobs[0]!["result"]);
        Assert.Equal("FORBIDDEN", bobs[0]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(2, bobs[1]!["result"]!["totals"]!["count"]!.GetValue<long>());

        // A report deleted since is an item with NOT_FOUND; the rest still runs.
        await dave.MutateAsync("mutation($id: ID!) { deleteReport(id: $id) { userErrors { code } } }", new { id = margin });
        var after = (await dave.QueryAsync(RunDashboard, new { id }))["runDashboard"]!.AsArray();
        Assert.Equal("NOT_FOUND", after[0]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(3, after[1]!["result"]!["totals"]!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_dashboard_names_only_reports_its_saver_can_see()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var bobsPrivate = await SaveAsync(office.As["bob"], new { name = "Mine", entity = "account" });
        var daves = await SaveAsync(office.As["dave"], new { name = "Accounts", entity = "account" });
        var refused = (await office.As["dave"].QueryAsync(SaveDashboard, new { input = new { name = "Overview", reportIds = new[] { daves, bobsPrivate } } }))["saveDashboard"]!;
        Assert.Null(refused["dashboard"]);
        Assert.Equal("NOT_FOUND reportIds[1]", $"{refused["userErrors"]![0]!["code"]} {refused["userErrors"]![0]!["field"]}");
        var empty = (await office.As["dave"].QueryAsync(SaveDashboard, new { input = new { name = "Empty", reportIds = Array.Empty<string>() } }))["saveDashboard"]!;
        Assert.Equal("INVALID_REPORT", empty["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty((await office.As["dave"].QueryAsync("{ dashboards { id } }"))["dashboards"]!.AsArray());

        // A private dashboard is its owner's: bob doesn't see it.
        var mine = await office.As["dave"].MutateAsync(SaveDashboard, new { input = new { name = "Mine", folder = "Sales", reportIds = new[] { daves } } });
        var id = mine["dashboard"]!["id"]!.GetValue<string>();
        Assert.Equal("NOT_FOUND", (await office.As["bob"].PostAsync(RunDashboard, new { id })).FirstErrorCode);
        Assert.Single((await office.As["dave"].QueryAsync("{ dashboards(folder: \"Sales\") { id } }"))["dashboards"]!.AsArray());
        Assert.Equal(["Sales"], (await office.As["dave"].QueryAsync("{ reportFolders }"))["reportFolders"]!.AsArray().Select(f => f!.GetValue<string>()));
    }
}
