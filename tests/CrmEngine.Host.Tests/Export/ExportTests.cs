using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using MiniExcelLibs;

namespace CrmEngine.Host.Tests.Export;

/// <summary>
/// POST /export over HTTP: any list query answered as a CSV or XLSX file, one column per field
/// selected under nodes, every page of the list, with the caller's row and field rights; what is
/// not an exportable list query is refused with the API's typed errors.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ExportTests(HostFixture fixture)
{
    private const string Contacts = "{ contacts(orderBy: [{name: ASC}]) { nodes { name account { name margin } } } }";

    [Fact]
    public async Task A_list_query_is_exported_as_CSV_one_column_per_selected_field_lookups_included()
    {
        using var office = await Office.OpenAsync(fixture.Host);

        using var response = await ExportAsync(office.Admin, Contacts);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("contacts.csv", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // A byte order mark first, so spreadsheet programs read the Chinese and accented text as UTF-8.
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal(["name,account.name,account.margin", "Alice's contact,Acme West Carol,30", "Carol's contact,Acme East Alice,10"], Lines(bytes));
    }

    [Fact]
    public async Task An_export_holds_only_the_rows_and_fields_the_caller_may_read()
    {
        using var office = await Office.OpenAsync(fixture.Host);

        // bob reads his team's accounts (alice's and his), with margin hidden from his role.
        using var response = await ExportAsync(office.As["bob"], "{ accounts(orderBy: [{name: ASC}]) { nodes { name margin } } }");

        Assert.Equal(["name,margin", "Acme East Alice,", "Acme East Bob,"], Lines(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Every_page_of_a_long_list_is_exported_in_order_whatever_first_the_query_asked_for()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var names = Enumerable.Range(0, 1_100).Select(i => $"Bulk {i:D4}").ToList();
        foreach (var chunk in names.Chunk(550))
        {
            var payload = await office.Admin.MutateAsync("mutation($i: [CreateAccountInput!]!) { createManyAccounts(inputs: $i) { results { userErrors { code } } userErrors { code } } }",
                new { i = chunk.Select(n => new { name = n }).ToArray() });
            Assert.All(payload["results"]!.AsArray(), r => Assert.Empty(r!["userErrors"]!.AsArray()));
        }

        using var response = await ExportAsync(office.Admin, "query($prefix: String!) { accounts(filter: {name: {startsWith: $prefix}}, orderBy: [{name: ASC}], first: 3) { totalCount edges { node { name } } } }",
            new { prefix = "Bulk " });

        var lines = Lines(await response.Content.ReadAsByteArrayAsync());
        // Columns are the node's fields; what the list has beside its records (totalCount) is not a row.
        Assert.Equal(["name", .. names], lines);
    }

    [Fact]
    public async Task An_XLSX_export_has_a_header_row_and_typed_cells()
    {
        using var office = await Office.OpenAsync(fixture.Host);

        using var response = await ExportAsync(office.Admin, Contacts, format: "xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("contacts.xlsx", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = file.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["name", "account.name", "account.margin"], rows[0].Keys);
        Assert.Equal([("Alice's contact", "Acme West Carol", 30d), ("Carol's contact", "Acme East Alice", 10d)],
            rows.Select(r => ((string)r["name"]!, (string)r["account.name"]!, Convert.ToDouble(r["account.margin"], System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Text_a_spreadsheet_would_run_as_a_formula_is_exported_inert()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        await office.Admin.MutateAsync("mutation { createAccount(input: {name: \"=HYPERLINK(\\\"http://evil.example\\\")\"}) { account { id } userErrors { code } } }");

        using var response = await ExportAsync(office.Admin, "{ accounts(filter: {name: {startsWith: \"=\"}}) { nodes { name } } }");

        var cell = Lines(await response.Content.ReadAsByteArrayAsync())[1];
        Assert.Contains("HYPERLINK", cell, StringComparison.Ordinal);
        Assert.False(cell.TrimStart('"').StartsWith('='), cell);
    }

    [Theory]
    [InlineData("mutation { createAccount(input: {name: \"x\"}) { account { id } } }", "BAD_REQUEST")]
    [InlineData("{ accounts { nodes { name } } contacts { nodes { name } } }", "BAD_REQUEST")]
    [InlineData("{ accounts { totalCount } }", "BAD_REQUEST")]
    [InlineData("{ accounts { nodes { name nosuchfield } } }", "FIELDS_ON_CORRECT_TYPE")]
    [InlineData("{ accounts { nodes { name }", "SYNTAX_ERROR")]
    public async Task What_is_not_one_list_query_is_refused_with_its_code_and_no_file(string query, string code)
    {
        using var office = await Office.OpenAsync(fixture.Host);

        using var response = await ExportAsync(office.Admin, query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentDisposition);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(code, body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_format_a_body_that_is_not_JSON_and_a_caller_without_a_key_are_refused()
    {
        using var office = await Office.OpenAsync(fixture.Host);

        using var format = await ExportAsync(office.Admin, Contacts, format: "pdf");
        using var notJson = await office.Admin.Http.PostAsync("/export", new StringContent(Contacts, Encoding.UTF8, "text/plain"));
        using var anonymous = await fixture.Host.CreateClient().PostAsync("/export", RawBody.Json(JsonSerializer.Serialize(new { query = Contacts })));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.Unauthorized), (format.StatusCode, notJson.StatusCode, anonymous.StatusCode));
    }

    private static Task<HttpResponseMessage> ExportAsync(TenantClient client, string query, object? variables = null, string format = "csv") =>
        client.Http.PostAsync($"/export?format={format}", RawBody.Json(JsonSerializer.Serialize(new { query, variables })));

    private static List<string> Lines(byte[] csv) =>
        Encoding.UTF8.GetString(csv.AsSpan(Encoding.UTF8.GetPreamble().Length)).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
