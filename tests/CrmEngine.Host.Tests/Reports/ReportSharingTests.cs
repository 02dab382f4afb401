using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Reports.ReportData;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>
/// Folders and sharing of reports in the <see cref="Office"/> (alice and bob in team East, carol in
/// West; alice and carol hold ownRep, bob teamRep): shared reports run with the viewer's rights,
/// and only their owner (or an admin) changes them.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ReportSharingTests(HostFixture fixture)
{
    private const string Run = "query($id: ID!) { runReport(id: $id) { totals { count } } }";

    private static object ByIndustry(object? sharing = null, string? folder = null) =>
        new { name = "Accounts by industry", entity = "account", groupBy = new[] { new { field = "industry" } }, sharing, folder };

    private static async Task<string> TeamAsync(Office office, string name) =>
        (await office.Admin.QueryAsync("{ teams { id name } }"))["teams"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();

    private static async Task<JsonNode> RunAsync(TenantClient client, string id) => await client.PostAsync(Run, new { id }) is { Errors: null } ok
        ? ok.Data!["runReport"]!
        : new JsonObject { ["error"] = (await client.PostAsync(Run, new { id })).FirstErrorCode };

    [Fact]
    public async Task A_report_shared_with_a_team_runs_for_its_members_with_their_own_rights()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var id = await SaveAsync(office.As["dave"], ByIndustry(new { access = "SHARED", teams = new[] { await TeamAsync(office, "East") } }));

        Assert.Equal(3, (await RunAsync(office.As["dave"], id))["totals"]!["count"]!.GetValue<long>());
        Assert.Equal(2, (await RunAsync(office.As["bob"], id))["totals"]!["count"]!.GetValue<long>());
        Assert.Equal(1, (await RunAsync(office.As["alice"], id))["totals"]!["count"]!.GetValue<long>());
        Assert.Equal("NOT_FOUND", (await RunAsync(office.As["carol"], id))["error"]!.GetValue<string>());
        Assert.Single((await office.As["bob"].QueryAsync("{ reports { id sharing { access teams } } }"))["reports"]!.AsArray());

        // Seeing is not changing: bob may neither change nor delete dave's report.
        var change = await office.As["bob"].QueryAsync("mutation($id: ID!, $input: ReportInput!) { saveReport(id: $id, input: $input) { report { id } userErrors { code } } }", new { id, input = ByIndustry() });
        Assert.Equal("FORBIDDEN", change["saveReport"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        var delete = await office.As["bob"].QueryAsync("mutation($id: ID!) { deleteReport(id: $id) { userErrors { code } } }", new { id });
        Assert.Equal("FORBIDDEN", delete["deleteReport"]!["userErrors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_report_shared_with_a_role_reaches_its_holders_and_a_public_one_everyone()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var byRole = await SaveAsync(office.As["dave"], ByIndustry(new { access = "SHARED", roles = new[] { "ownRep" } }));
        Assert.Equal(1, (await RunAsync(office.As["alice"], byRole))["totals"]!["count"]!.GetValue<long>());
        Assert.Equal(1, (await RunAsync(office.As["carol"], byRole))["totals"]!["count"]!.GetValue<long>());
        Assert.Equal("NOT_FOUND", (await RunAsync(office.As["bob"], byRole))["error"]!.GetValue<string>());

        var isPublic = await SaveAsync(office.As["dave"], ByIndustry(new { access = "PUBLIC" }));
        Assert.Equal(2, (await RunAsync(office.As["bob"], isPublic))["totals"]!["count"]!.GetValue<long>());

        // Made private again by its owner, it is his alone.
        await office.As["dave"].MutateAsync("mutation($id: ID!, $input: ReportInput!) { saveReport(id: $id, input: $input) { report { id } userErrors { code } } }",
            new { id = isPublic, input = ByIndustry(new { access = "PRIVATE" }) });
        Assert.Equal("NOT_FOUND", (await RunAsync(office.As["bob"], isPublic))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sharing_with_someone_who_is_not_there_is_refused_and_nothing_is_saved()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var payload = (await office.As["dave"].QueryAsync(Save, new
        {
            input = ByIndustry(new { access = "SHARED", users = new[] { CrmEngine.Sdk.Records.RecordIds.GlobalId("user", Guid.CreateVersion7()) }, roles = new[] { "nobody" }, teams = new[] { "not an id" } }),
        }))["saveReport"]!;
        Assert.Null(payload["report"]);
        Assert.Equal(
            ["INVALID_ID sharing.teams[0]", "NOT_FOUND sharing.roles[0]", "NOT_FOUND sharing.users[0]"],
            payload["userErrors"]!.AsArray().Select(e => $"{e!["code"]} {e["field"]}").Order(StringComparer.Ordinal));
        Assert.Empty((await office.As["dave"].QueryAsync("{ reports { id } }"))["reports"]!.AsArray());
    }

    [Fact]
    public async Task Folders_hold_reports_and_list_their_subfolders_too()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var dave = office.As["dave"];
        await SaveAsync(dave, ByIndustry(folder: "Sales"));
        await SaveAsync(dave, ByIndustry(folder: " Sales / Monthly "));
        await SaveAsync(dave, ByIndustry(folder: "Service"));
        Assert.Equal(2, (await dave.QueryAsync("{ reports(folder: \"Sales\") { id } }"))["reports"]!.AsArray().Count);
        Assert.Single((await dave.QueryAsync("{ reports(folder: \"Sales/Monthly\") { folder } }"))["reports"]!.AsArray());
        Assert.Equal(["Sales", "Sales/Monthly", "Service"], (await dave.QueryAsync("{ reportFolders }"))["reportFolders"]!.AsArray().Select(f => f!.GetValue<string>()));

        var bad = (await dave.QueryAsync(Save, new { input = ByIndustry(folder: "Sales//Weekly") }))["saveReport"]!;
        Assert.Equal("INVALID_INPUT", bad["userErrors"]![0]!["code"]!.GetValue<string>());
    }
}
