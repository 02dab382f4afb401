using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Reports.ReportData;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>
/// Reports run with the caller's rights (the <see cref="Office"/>: bob reads his team East's accounts,
/// alice's and his, with margin and tier hidden; dave reads all three).
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ReportRightsTests(HostFixture fixture)
{
    private static readonly object ByIndustry = new { name = "Accounts by industry", entity = "account", groupBy = new[] { new { field = "industry" } } };

    [Fact]
    public async Task Records_outside_the_callers_scope_do_not_count()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        Assert.Equal(["retail: 3"], Counts(await RunAsync(office.As["dave"], ByIndustry)));
        var bob = await RunAsync(office.As["bob"], ByIndustry);
        Assert.Equal(["retail: 2"], Counts(bob));
        Assert.Equal(2, bob["totals"]!["count"]!.GetValue<long>());
        Assert.Equal(["retail: 1"], Counts(await RunAsync(office.As["alice"], ByIndustry)));
    }

    [Theory]
    [InlineData("groupBy", "tier")]
    [InlineData("measure", "margin")]
    [InlineData("filter", "margin")]
    public async Task A_field_the_caller_can_not_read_can_not_be_grouped_measured_or_filtered(string part, string field)
    {
        using var office = await Office.OpenAsync(fixture.Host);
        object input = part switch
        {
            "groupBy" => new { name = "By tier", entity = "account", groupBy = new[] { new { field } } },
            "measure" => new { name = "Margin", entity = "account", measures = new object[] { new { function = "SUM", field } } },
            _ => new { name = "Big margins", entity = "account", filter = new { margin = new { gt = 15 } } },
        };

        // Saving checks the metadata only; the run, as bob, is refused.
        var id = await SaveAsync(office.As["bob"], input);
        var refused = await office.As["bob"].PostAsync("query($id: ID!) { runReport(id: $id) { totals { count } } }", new { id });
        Assert.Equal("FORBIDDEN", refused.FirstErrorCode);

        // dave may read the field: the same report runs for him.
        var daves = await SaveAsync(office.As["dave"], input);
        Assert.Null((await office.As["dave"].PostAsync("query($id: ID!) { runReport(id: $id) { totals { count } } }", new { id = daves })).Errors);
    }

    [Fact]
    public async Task Hidden_fields_are_empty_cells_in_a_record_report()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var input = new { name = "Margins", entity = "account", columns = new[] { "name", "margin" } };
        var bob = await RunAsync(office.As["bob"], input);
        Assert.Equal(["Acme East Alice|", "Acme East Bob|"], bob["rows"]!.AsArray().Select(r => string.Join('|', r!["columns"]!.AsArray().Select(c => c?.ToString()))));
        var dave = await RunAsync(office.As["dave"], input);
        Assert.Equal(["Acme East Alice|10", "Acme East Bob|20", "Acme West Carol|30"], dave["rows"]!.AsArray().Select(r => string.Join('|', r!["columns"]!.AsArray().Select(c => c?.ToString()))));
    }

    [Fact]
    public async Task Someone_elses_report_is_not_there_for_a_user()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var id = await SaveAsync(office.As["dave"], ByIndustry);
        Assert.Equal("NOT_FOUND", (await office.As["bob"].PostAsync("query($id: ID!) { runReport(id: $id) { totals { count } } }", new { id })).FirstErrorCode);
        Assert.Empty((await office.As["bob"].QueryAsync("{ reports { id } }"))["reports"]!.AsArray());
        var deleted = await office.As["bob"].QueryAsync("mutation($id: ID!) { deleteReport(id: $id) { report { id } userErrors { code } } }", new { id });
        Assert.Equal("NOT_FOUND", deleted["deleteReport"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Single((await office.Admin.QueryAsync("{ reports { id name } }"))["reports"]!.AsArray());
    }
}
