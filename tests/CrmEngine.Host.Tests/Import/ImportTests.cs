using System.Net;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Import.ImportUploads;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Import;

/// <summary>
/// Imports over real HTTP, as an integrator runs them: a CSV or XLSX file posted to /import/project,
/// its job followed through importJob, on the store of the pass (SQLite or PostgreSQL).
/// </summary>
public sealed class ImportTests(ImportTests.SmallLimitHost fixture) : IClassFixture<ImportTests.SmallLimitHost>, IAsyncLifetime
{
    private const string Projects = "{ projects(first: 50, orderBy: [{ title: ASC }]) { totalCount nodes { title contactEmail headcount startsOn active status budget { amount currency } account { name } } } }";
    private TenantClient _client = null!;

    /// <summary>A host whose tenant "tinysmall" may import files of 300 bytes at most.</summary>
    public sealed class SmallLimitHost() : SharedHostFixture(new Dictionary<string, string?> { ["Crm:Import:TenantMaxFileBytes:tinysmall"] = "300" });

    public async Task InitializeAsync()
    {
        _client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(_client);
        foreach (var name in new[] { "Acme", "华为" })
        {
            await _client.MutateAsync("mutation($name: String!) { createAccount(input: { name: $name }) { account { id } userErrors { code } } }", new { name });
        }
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_csv_file_with_chinese_headers_and_labels_becomes_records_with_dates_numbers_options_and_lookups_as_people_write_them()
    {
        var file = Csv("""
            title（中文）,contactEmail,headcount,startsOn（中文）,active,status（中文）,budget,account,notes
            Alpha,alpha@example.cn,"1,200",2025年3月31日,是,进行中,"1,234,567.50",Acme,ignored
            Beta,beta@example.cn,7,2025/04/01,no,Planned,99,华为,
            Gamma,,0,2025-04-02,true,running,,,
            """, bom: true);

        var job = await ImportAsync(_client, "project", file, "projects.csv");

        Assert.Equal(("COMPLETED", "CSV", 3L, 3L, 0L), (job["status"]!.GetValue<string>(), job["format"]!.GetValue<string>(), Count(job, "rowsRead"), Count(job, "rowsCreated"), Count(job, "rowsRefused")));
        Assert.Equal(["notes"], job["unmappedColumns"]!.AsArray().Select(c => c!.GetValue<string>()));
        var nodes = (await _client.QueryAsync(Projects))["projects"]!["nodes"]!.AsArray();
        Assert.Equal(
            """{"title":"Alpha","contactEmail":"alpha@example.cn","headcount":1200,"startsOn":"2025-03-31","active":true,"status":"running","budget":{"amount":1234567.5,"currency":"CNY"},"account":{"name":"Acme"}}""",
            nodes[0]!.ToJsonString());
        Assert.Equal(("2025-04-01", false, "planned", "华为"), (nodes[1]!["startsOn"]!.GetValue<string>(), nodes[1]!["active"]!.GetValue<bool>(), nodes[1]!["status"]!.GetValue<string>(), nodes[1]!["account"]!["name"]!.GetValue<string>()));
        Assert.Null(nodes[2]!["account"]);
    }

    [Fact]
    public async Task Broken_rows_are_reported_by_row_column_and_code_nothing_is_written_from_them_and_the_others_are_kept()
    {
        var file = Csv("""
            title,contactEmail,startsOn,status,account,headcount
            Good one,good1@example.cn,2025-01-01,planned,Acme,1
            Bad date,bad1@example.cn,31/31/2025,planned,Acme,1
            Bad option,bad2@example.cn,2025-01-01,finished,Acme,1
            ,bad3@example.cn,2025-01-01,planned,Acme,1
            No account,bad4@example.cn,2025-01-01,planned,Nobody Ltd,1
            Negative,bad5@example.cn,2025-01-01,planned,Acme,-3
            Good two,good2@example.cn,2025-01-02,running,,2
            Taken,good1@example.cn,2025-01-02,running,,2
            """);

        var job = await ImportAsync(_client, "project", file, "broken.csv");

        Assert.Equal(("COMPLETED", 8L, 2L, 6L), (job["status"]!.GetValue<string>(), Count(job, "rowsRead"), Count(job, "rowsCreated"), Count(job, "rowsRefused")));
        var errors = job["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["column"]?.GetValue<string>(), e["code"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [(3, "startsOn", "INVALID_VALUE"), (4, "status", "INVALID_OPTION"), (5, "title", "REQUIRED"), (6, "account", "LOOKUP_NOT_FOUND"), (7, "headcount", "OUT_OF_RANGE"), (9, "contactEmail", "UNIQUE_VIOLATION")],
            errors);
        var stored = (await _client.QueryAsync(Projects))["projects"]!;
        Assert.Equal(["Good one", "Good two"], stored["nodes"]!.AsArray().Select(n => n!["title"]!.GetValue<string>()));

        var report = await _client.Http.GetAsync(job["errorReportUrl"]!.GetValue<string>());
        var lines = (await report.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("row,title,contactEmail,startsOn,status,account,headcount,errors", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("3,Bad date,bad1@example.cn,31/31/2025,planned,Acme,1,\"startsOn: INVALID_VALUE '31/31/2025' is not a date", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_reports_the_refusals_a_real_import_would_make_and_writes_nothing()
    {
        var file = Csv("""
            title,contactEmail,status
            Fine,fine@example.cn,planned
            Wrong,wrong@example.cn,finished
            """);

        var job = await ImportAsync(_client, "project", file, "dry.csv", new { dryRun = true });

        Assert.Equal((true, 2L, 1L, 1L), (job["dryRun"]!.GetValue<bool>(), Count(job, "rowsRead"), Count(job, "rowsCreated"), Count(job, "rowsRefused")));
        Assert.Equal((3, "INVALID_OPTION"), (job["errors"]![0]!["row"]!.GetValue<int>(), job["errors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(0, (await _client.QueryAsync(Projects))["projects"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_upsert_updates_the_record_its_unique_key_names_and_creates_the_others()
    {
        var first = await ImportAsync(_client, "project", Csv("title,contactEmail,headcount\nOld title,same@example.cn,1\n"), "first.csv");
        var file = Csv("""
            Project name,Email,Staff
            New title,same@example.cn,5
            Another,other@example.cn,2
            """);

        var job = await ImportAsync(_client, "project", file, "upsert.csv", new
        {
            mode = "UPSERT",
            upsertBy = "contactEmail",
            mapping = new Dictionary<string, string> { ["Project name"] = "title", ["Email"] = "contactEmail", ["Staff"] = "headcount" },
        });

        Assert.Equal(1L, Count(first, "rowsCreated"));
        Assert.Equal(("UPSERT", 1L, 1L, 0L), (job["mode"]!.GetValue<string>(), Count(job, "rowsCreated"), Count(job, "rowsUpdated"), Count(job, "rowsRefused")));
        var nodes = (await _client.QueryAsync(Projects))["projects"]!["nodes"]!.AsArray();
        Assert.Equal([("Another", 2), ("New title", 5)], nodes.Select(n => (n!["title"]!.GetValue<string>(), n["headcount"]!.GetValue<int>())));
    }

    [Fact]
    public async Task An_xlsx_workbook_imports_with_its_date_cells_excel_serial_dates_and_numbers()
    {
        var file = Xlsx(
        [
            new() { ["title"] = "From Excel", ["startsOn"] = new DateTime(2025, 6, 30), ["headcount"] = 12d, ["budget"] = 1500.25m, ["active"] = true },
            new() { ["title"] = "Serial date", ["startsOn"] = 45839d, ["headcount"] = "3", ["budget"] = "2,000", ["active"] = "否" },
        ]);

        var job = await ImportAsync(_client, "project", file, "projects.xlsx");

        Assert.Equal(("XLSX", 2L, 0L), (job["format"]!.GetValue<string>(), Count(job, "rowsCreated"), Count(job, "rowsRefused")));
        var nodes = (await _client.QueryAsync(Projects))["projects"]!["nodes"]!.AsArray();
        Assert.Equal(("2025-06-30", 12, 1500.25m, true), (nodes[0]!["startsOn"]!.GetValue<string>(), nodes[0]!["headcount"]!.GetValue<int>(), nodes[0]!["budget"]!["amount"]!.GetValue<decimal>(), nodes[0]!["active"]!.GetValue<bool>()));
        Assert.Equal(("2025-07-01", 2000m, false), (nodes[1]!["startsOn"]!.GetValue<string>(), nodes[1]!["budget"]!["amount"]!.GetValue<decimal>(), nodes[1]!["active"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_file_over_the_tenants_limit_is_refused_with_413_and_makes_no_job()
    {
        using var limited = await fixture.Host.NewTenantAsync("tinysmall");
        await DefineProjectsAsync(limited);
        var file = Csv("title\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"Project number {i}\n")));

        var (status, body) = await UploadAsync(limited, "project", file, "big.csv");
        var elsewhere = await UploadAsync(_client, "project", file, "big.csv");

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE"), (status, Code(body)));
        Assert.Empty((await limited.QueryAsync("{ importJobs { id } }"))["importJobs"]!.AsArray());
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.Status);
    }

    [Theory]
    [InlineData("gbk", "IMPORT_FILE_NOT_UTF8")]
    [InlineData("utf16", "IMPORT_FILE_NOT_UTF8")]
    [InlineData("binary", "IMPORT_FILE_NOT_SUPPORTED")]
    [InlineData("brokenzip", "IMPORT_FILE_NOT_SUPPORTED")]
    [InlineData("empty", "IMPORT_FILE_NOT_SUPPORTED")]
    public async Task A_file_that_is_not_utf8_csv_or_xlsx_is_refused_with_415_and_makes_no_job(string kind, string code)
    {
        byte[] file = kind switch
        {
            // "title\n客户" in GBK, as Excel on a Chinese Windows saves "CSV".
            "gbk" => [.. "title\n"u8, 0xBF, 0xCD, 0xBB, 0xA7, (byte)'\n'],
            "utf16" => [0xFF, 0xFE, (byte)'t', 0, (byte)'i', 0],
            "binary" => [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, 0, 13],
            "brokenzip" => [.. "PK\u0003\u0004"u8, .. new byte[200]],
            _ => [],
        };

        var (status, body) = await UploadAsync(_client, "project", file, "projects.csv");

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, code), (status, Code(body)));
        Assert.Empty((await _client.QueryAsync("{ importJobs { id } }"))["importJobs"]!.AsArray());
    }

    [Fact]
    public async Task A_user_without_the_right_to_create_the_entitys_records_is_refused_and_an_unknown_caller_is_unauthenticated()
    {
        var user = await _client.MutateAsync("mutation { createUser(email: \"reader@example.cn\", displayName: \"读者\", roles: [\"reader\"]) { user { id } userErrors { code } } }");
        var key = await _client.MutateAsync("mutation($id: ID!) { createApiKey(name: \"r\", roles: [\"reader\"], userId: $id) { key userErrors { code } } }", new { id = user["user"]!["id"]!.GetValue<string>() });
        using var reader = fixture.Host.Client(_client.TenantId, key["key"]!.GetValue<string>());
        using var nobody = fixture.Host.Client(_client.TenantId, null);
        var file = Csv("title\nMine\n");

        var refused = await UploadAsync(reader, "project", file, "p.csv");
        var anonymous = await UploadAsync(nobody, "project", file, "p.csv");

        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (refused.Status, Code(refused.Body)));
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (anonymous.Status, Code(anonymous.Body)));
        Assert.Equal(0, (await _client.QueryAsync(Projects))["projects"]!["totalCount"]!.GetValue<int>());
        Assert.Empty((await _client.QueryAsync("{ importJobs { id } }"))["importJobs"]!.AsArray());
    }

    [Fact]
    public async Task A_mapping_to_a_field_the_entity_lacks_or_an_upsert_without_a_unique_key_is_refused_before_any_job()
    {
        var file = Csv("Name,Email\nA,a@example.cn\n");

        var unknown = await UploadAsync(_client, "project", file, "p.csv", new { mapping = new Dictionary<string, string> { ["Name"] = "nickname" } });
        var notUnique = await UploadAsync(_client, "project", file, "p.csv", new { mode = "UPSERT", upsertBy = "title" });
        var noEntity = await UploadAsync(_client, "planet", file, "p.csv");

        Assert.Equal((HttpStatusCode.BadRequest, "UNKNOWN_FIELD"), (unknown.Status, Code(unknown.Body)));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_INPUT"), (notUnique.Status, Code(notUnique.Body)));
        Assert.Equal((HttpStatusCode.NotFound, "UNKNOWN_ENTITY"), (noEntity.Status, Code(noEntity.Body)));
    }
}
