using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Reports.ReportData;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>Saving, listing and deleting reports; definitions that don't fit the metadata are refused with typed codes and nothing is saved.</summary>
[Collection(HostGroup.Name)]
public sealed class ReportDefinitionTests(HostFixture fixture)
{
    public static TheoryData<string, object, string, string> BadDefinitions => new()
    {
        { "unknown entity", new { name = "x", entity = "nothing" }, "UNKNOWN_ENTITY", "entity" },
        { "unknown grouping field", new { name = "x", entity = "contact", groupBy = new[] { new { field = "nickname" } } }, "UNKNOWN_FIELD", "groupBy[0].field" },
        { "unknown column", new { name = "x", entity = "contact", columns = new[] { "account.nickname" } }, "UNKNOWN_FIELD", "columns[0]" },
        { "sum of a picklist", new { name = "x", entity = "contact", measures = new[] { new { function = "SUM", field = "status" } } }, "INVALID_MEASURE", "measures[0].field" },
        { "average of a date", new { name = "x", entity = "contact", measures = new[] { new { function = "AVG", field = "nextCallOn" } } }, "INVALID_MEASURE", "measures[0].field" },
        { "bucket on a picklist", new { name = "x", entity = "contact", groupBy = new[] { new { field = "status", bucket = "MONTH" } } }, "INVALID_BUCKET", "groupBy[0].bucket" },
        { "fiscal year from month 13", new { name = "x", entity = "contact", groupBy = new[] { new { field = "nextCallOn", bucket = "FISCAL_YEAR" } }, fiscalYearStartMonth = 13 }, "INVALID_BUCKET", "fiscalYearStartMonth" },
        { "unknown time zone", new { name = "x", entity = "contact", groupBy = new[] { new { field = "nextCallOn", bucket = "MONTH", timeZone = "Mars/Olympus" } } }, "INVALID_BUCKET", "groupBy[0].timeZone" },
        { "comparison without a date grouping", new { name = "x", entity = "contact", groupBy = new[] { new { field = "status" } }, measures = new[] { new { function = "COUNT", compareTo = "PREVIOUS_YEAR" } } }, "INVALID_REPORT", "measures[0].compareTo" },
        { "share of an average", new { name = "x", entity = "contact", groupBy = new[] { new { field = "status" } }, measures = new[] { new { function = "AVG", field = "score", percentOfTotal = true } } }, "INVALID_MEASURE", "measures[0].percentOfTotal" },
        { "top by an unknown measure", new { name = "x", entity = "contact", groupBy = new[] { new { field = "status" } }, top = 3, topBy = "sumScore" }, "INVALID_REPORT", "topBy" },
        { "pivot without rows", new { name = "x", entity = "contact", pivotBy = new { field = "status" } }, "INVALID_REPORT", "pivotBy" },
        { "filter on an unknown field", new { name = "x", entity = "contact", filter = new { nickname = new { eq = "A" } } }, "UNKNOWN_FIELD", "filter" },
        { "no name", new { name = " ", entity = "contact" }, "REQUIRED", "name" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task A_definition_that_does_not_fit_is_refused_with_a_typed_code_and_nothing_is_saved(string what, object input, string code, string field)
    {
        using var client = await TenantAsync(fixture.Host);
        var payload = (await client.QueryAsync(Save, new { input }))["saveReport"]!;
        Assert.Null(payload["report"]);
        var error = Assert.Single(payload["userErrors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == code);
        Assert.True(error!["field"]!.GetValue<string>().StartsWith(field, StringComparison.Ordinal), $"{what}: {error}");
        Assert.Empty((await client.QueryAsync("{ reports { id } }"))["reports"]!.AsArray());
    }

    [Fact]
    public async Task A_saved_report_is_listed_changed_and_deleted()
    {
        using var client = await TenantAsync(fixture.Host);
        var id = await SaveAsync(client, new { name = "Pipeline", entity = "contact", groupBy = new[] { new { field = "status" } }, measures = new[] { new { function = "SUM", field = "score" } } });
        var listed = (await client.QueryAsync("{ reports(entity: \"contact\") { id name groupBy { field bucket } measures { name function field percentOfTotal } chart fiscalYearStartMonth } }"))["reports"]!;
        Assert.Equal("Pipeline", listed[0]!["name"]!.GetValue<string>());
        Assert.Equal("sumScore", listed[0]!["measures"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("TABLE", listed[0]!["chart"]!.GetValue<string>());

        var changed = await client.MutateAsync("mutation($id: ID!, $input: ReportInput!) { saveReport(id: $id, input: $input) { report { id name } userErrors { code } } }",
            new { id, input = new { name = "Pipeline by month", entity = "contact", groupBy = new[] { new { field = "nextCallOn", bucket = "MONTH" } } } });
        Assert.Equal(id, changed["report"]!["id"]!.GetValue<string>());
        Assert.Equal("MONTH", (await client.QueryAsync("query($id: ID!) { report(id: $id) { groupBy { bucket } } }", new { id }))["report"]!["groupBy"]![0]!["bucket"]!.GetValue<string>());

        await client.MutateAsync("mutation($id: ID!) { deleteReport(id: $id) { report { id } userErrors { code } } }", new { id });
        Assert.Empty((await client.QueryAsync("{ reports { id } }"))["reports"]!.AsArray());
        Assert.Equal("NOT_FOUND", (await client.PostAsync("query($id: ID!) { runReport(id: $id) { totals { count } } }", new { id })).FirstErrorCode);
    }
}
