using System.Text.Json.Nodes;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Import.ImportUploads;
using static CrmEngine.Host.Tests.Queries.SalesData;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Formulas;

/// <summary>
/// Formula fields on deals over real HTTP (on the store the run uses), with hand-computed values:
/// computed on every write of the fields they read and of the account they read through, readable,
/// filterable, sortable, groupable and aggregatable, filled in when added, refused with a typed code
/// when badly defined, and carried by a tenant backup.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class FormulaTests(HostFixture fixture)
{
    private const string AddFormula = """
        mutation($entity: String!, $input: FieldInput!) {
          addField(entity: $entity, input: $input) { field { name formula { resultType } } userErrors { field code message } }
        }
        """;

    private const string Computed = "net industry label size perUnit daysToClose";

    private static readonly (string Name, string Expression, string Type)[] Formulas =
    [
        ("net", "amount * (1 - discount / 100)", "DECIMAL"),
        ("industry", "account.industry", "TEXT"),
        ("label", "CONCAT(UPPER(name), \" @ \", COALESCE(account.name, \"nobody\"))", "TEXT"),
        ("size", "IF(net >= 1000, \"big\", \"small\")", "TEXT"),
        ("perUnit", "ROUND(amount / units, 2)", "DECIMAL"),
        ("daysToClose", "DATEDIFF(closeDate, DATE(\"2026-01-01\"), \"day\")", "INTEGER"),
    ];

    private async Task<TenantClient> DealsAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "account",
                labels = Labels("Account", "客户"),
                fields = new[] { Field("name", "TEXT", new { required = true }), Field("industry", "TEXT"), Field("parent", "LOOKUP", new { lookupEntity = "account", inverseName = "children" }) },
            },
        });
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "deal",
                labels = Labels("Deal", "商机"),
                fields = new[]
                {
                    Field("name", "TEXT"),
                    Field("amount", "DECIMAL"),
                    Field("discount", "INTEGER"),
                    Field("units", "INTEGER"),
                    Field("closeDate", "DATE"),
                    Field("account", "LOOKUP", new { lookupEntity = "account" }),
                },
            },
        });
        foreach (var (name, expression, _) in Formulas)
        {
            var payload = await AddFormulaAsync(client, name, expression);
            Assert.Empty(payload["userErrors"]!.AsArray());
        }

        return client;
    }

    private static async Task<JsonNode> AddFormulaAsync(TenantClient client, string name, string expression) =>
        (await client.QueryAsync(AddFormula, new { entity = "deal", input = Field(name, "FORMULA", new { formula = new { expression } }) }))["addField"]!;

    private static async Task<string> AccountAsync(TenantClient client, string name, string industry) =>
        S((await client.MutateAsync("mutation($name: String!, $industry: String) { createAccount(input: { name: $name, industry: $industry }) { account { id } userErrors { code message } } }", new { name, industry }))["account"]!["id"]);

    private static async Task<JsonNode> CreateDealAsync(TenantClient client, object input) =>
        (await client.MutateAsync($"mutation($input: CreateDealInput!) {{ createDeal(input: $input) {{ deal {{ id {Computed} }} userErrors {{ code message }} }} }}", new { input }))["deal"]!;

    private static async Task<JsonNode> UpdateDealAsync(TenantClient client, string id, object input) =>
        (await client.MutateAsync($"mutation($id: ID!, $input: UpdateDealInput!) {{ updateDeal(id: $id, input: $input) {{ deal {{ {Computed} }} userErrors {{ code message }} }} }}", new { id, input }))["deal"]!;

    private static async Task<JsonNode> DealAsync(TenantClient client, string id) =>
        (await client.QueryAsync($"query($id: ID!) {{ deal(id: $id) {{ {Computed} }} }}", new { id }))["deal"]!;

    private static string S(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task Formulas_are_computed_when_a_record_is_created_and_follow_updates_of_the_fields_they_read()
    {
        using var client = await DealsAsync();
        var acme = await AccountAsync(client, "Acme", "retail");
        var created = await CreateDealAsync(client, new { name = "Pumps", amount = 1200m, discount = 10, units = 7, closeDate = "2026-01-31", accountId = acme });
        // net 1200 × (1 − 10/100) = 1080; 1200 / 7 = 171.428… → 171.43; Jan 1 → Jan 31 is 30 days.
        Assert.Equal(1080m, created["net"]!.GetValue<decimal>());
        Assert.Equal("retail", S(created["industry"]));
        Assert.Equal("PUMPS @ Acme", S(created["label"]));
        Assert.Equal("big", S(created["size"]));
        Assert.Equal(171.43m, created["perUnit"]!.GetValue<decimal>());
        Assert.Equal(30, created["daysToClose"]!.GetValue<long>());

        var id = S(created["id"]);
        var updated = await UpdateDealAsync(client, id, new { discount = 25, units = 0, closeDate = "2025-12-30" });
        // net 1200 × 0.75 = 900 (small now); a division by zero is null; Jan 1 → Dec 30 is −2 days.
        Assert.Equal(900m, updated["net"]!.GetValue<decimal>());
        Assert.Equal("small", S(updated["size"]));
        Assert.Null(updated["perUnit"]);
        Assert.Equal(-2, updated["daysToClose"]!.GetValue<long>());
        Assert.Equal(updated.ToJsonString(), (await DealAsync(client, id)).ToJsonString());

        // Arithmetic with a missing value has no value; CONCAT reads it as empty text.
        var bare = await CreateDealAsync(client, new { name = "Bare" });
        Assert.Null(bare["net"]);
        Assert.Null(bare["industry"]);
        Assert.Equal("BARE @ nobody", S(bare["label"]));
        Assert.Equal("small", S(bare["size"]));
    }

    [Fact]
    public async Task A_formula_reading_through_a_lookup_follows_the_looked_up_record_and_re_pointing()
    {
        using var client = await DealsAsync();
        var acme = await AccountAsync(client, "Acme", "retail");
        var beta = await AccountAsync(client, "Beta", "energy");
        var id = S((await CreateDealAsync(client, new { name = "Pumps", amount = 10m, discount = 0, accountId = acme }))["id"]);

        await client.MutateAsync("mutation($id: ID!) { updateAccount(id: $id, input: { industry: \"mining\", name: \"Acme Ltd\" }) { userErrors { code message } } }", new { id = acme });
        var deal = await DealAsync(client, id);
        Assert.Equal("mining", S(deal["industry"]));
        Assert.Equal("PUMPS @ Acme Ltd", S(deal["label"]));

        deal = await UpdateDealAsync(client, id, new { accountId = beta });
        Assert.Equal("energy", S(deal["industry"]));
        Assert.Equal("PUMPS @ Beta", S(deal["label"]));
    }

    [Fact]
    public async Task Formulas_filter_sort_group_and_aggregate_like_any_field()
    {
        using var client = await DealsAsync();
        var acme = await AccountAsync(client, "Acme", "retail");
        await CreateDealAsync(client, new { name = "A", amount = 2000m, discount = 50, units = 1, accountId = acme });
        await CreateDealAsync(client, new { name = "B", amount = 1500m, discount = 0, units = 1 });
        await CreateDealAsync(client, new { name = "C", amount = 100m, discount = 10, units = 1 });

        // nets: A 1000, B 1500, C 90.
        var big = Names((await client.QueryAsync("{ deals(filter: { net: { gte: 1000 } }, orderBy: [{ net: DESC }]) { nodes { name } } }"))["deals"]!);
        Assert.Equal(["B", "A"], big);
        var retail = Names((await client.QueryAsync("{ deals(filter: { industry: { eq: \"retail\" } }) { nodes { name } } }"))["deals"]!);
        Assert.Equal(["A"], retail);
        var data = (await client.QueryAsync("{ dealsAggregate(groupBy: [{ field: size }]) { sum { net } groups { key { size } count sum { net } } } }"))["dealsAggregate"]!;
        Assert.Equal(2590m, data["sum"]!["net"]!.GetValue<decimal>());
        var groups = data["groups"]!.AsArray().ToDictionary(g => S(g!["key"]!["size"]), g => (Count: g!["count"]!.GetValue<long>(), Net: g["sum"]!["net"]!.GetValue<decimal>()));
        Assert.Equal((2L, 2500m), groups["big"]);
        Assert.Equal((1L, 90m), groups["small"]);
    }

    [Fact]
    public async Task Adding_a_formula_fills_it_in_for_the_records_already_there_and_imports_compute_it()
    {
        using var client = await DealsAsync();
        var acme = await AccountAsync(client, "Acme", "retail");
        var id = S((await CreateDealAsync(client, new { name = "Pumps", amount = 40m, discount = 5, units = 4, accountId = acme }))["id"]);
        var payload = await AddFormulaAsync(client, "pitch", "IF(ISBLANK(account.industry), \"?\", CONCAT(name, \" for \", LOWER(account.industry)))");
        Assert.Equal("TEXT", S(payload["field"]!["formula"]!["resultType"]));
        Assert.Equal("Pumps for retail", S((await client.QueryAsync("query($id: ID!) { deal(id: $id) { pitch } }", new { id }))["deal"]!["pitch"]));

        var job = await ImportAsync(client, "deal", Csv($"name,amount,discount,units,account\nValves,300,20,3,{acme}\n"), "deals.csv");
        Assert.Equal(1, Count(job, "rowsCreated"));
        var imported = (await client.QueryAsync("{ deals(filter: { name: { eq: \"Valves\" } }) { nodes { net perUnit pitch industry } } }"))["deals"]!["nodes"]![0]!;
        // 300 × 0.8 = 240; 300 / 3 = 100.
        Assert.Equal(240m, imported["net"]!.GetValue<decimal>());
        Assert.Equal(100m, imported["perUnit"]!.GetValue<decimal>());
        Assert.Equal("Valves for retail", S(imported["pitch"]));
    }

    public static TheoryData<string, string, string> BadFormulas => new()
    {
        { "does not parse", "amount * (1 - ", "FORMULA_SYNTAX_ERROR" },
        { "unknown function", "SQRT(amount)", "FORMULA_SYNTAX_ERROR" },
        { "unknown field", "amount * tax", "UNKNOWN_FIELD" },
        { "unknown field through a lookup", "account.revenue", "UNKNOWN_FIELD" },
        { "text plus a number", "name + 1", "FORMULA_TYPE_MISMATCH" },
        { "division by a text", "amount / name", "FORMULA_TYPE_MISMATCH" },
        { "branches of two types", "IF(amount > 1, name, amount)", "FORMULA_TYPE_MISMATCH" },
        { "reads itself", "broken + 1", "FORMULA_CYCLE" },
        { "two lookups away", "account.parent.name", "FORMULA_TOO_DEEP" },
        { "nested too deep", new string('(', 40) + "1" + new string(')', 40), "FORMULA_TOO_DEEP" },
        { "time passes", "IF(closeDate < TODAY(), \"overdue\", \"open\")", "INVALID_DEFINITION" },
        { "always null", "NULL", "FORMULA_TYPE_MISMATCH" },
    };

    [Theory]
    [MemberData(nameof(BadFormulas))]
    public async Task A_bad_formula_is_refused_with_its_code_and_changes_nothing(string why, string expression, string code)
    {
        using var client = await DealsAsync();
        var before = (await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>();
        var payload = await AddFormulaAsync(client, "broken", expression);
        Assert.True(payload["userErrors"]!.AsArray().Count > 0, why);
        Assert.Equal(code, S(payload["userErrors"]![0]!["code"]));
        Assert.Equal(before, (await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_formula_is_read_only_and_its_definition_shows_its_result_type()
    {
        using var client = await DealsAsync();
        var write = await client.PostAsync("mutation { createDeal(input: { name: \"X\", net: 5 }) { deal { id } } }");
        Assert.NotNull(write.Errors);
        var fields = (await client.QueryAsync("{ entity(name: \"deal\") { fields { name type formula { expression resultType } } } }"))["entity"]!["fields"]!.AsArray();
        foreach (var (name, expression, type) in Formulas)
        {
            var field = fields.Single(f => S(f!["name"]) == name)!;
            Assert.Equal("FORMULA", S(field["type"]));
            Assert.Equal(expression, S(field["formula"]!["expression"]));
            Assert.Equal(type, S(field["formula"]!["resultType"]));
        }
    }

    [Fact]
    public async Task Removing_a_field_a_formula_reads_is_refused()
    {
        using var client = await DealsAsync();
        var payload = (await client.QueryAsync("mutation { removeField(entity: \"deal\", field: \"discount\") { userErrors { code } } }"))["removeField"]!;
        Assert.Equal("UNKNOWN_FIELD", S(payload["userErrors"]![0]!["code"]));
    }

    [Fact]
    public async Task Formulas_survive_a_tenant_backup_and_restore()
    {
        using var client = await DealsAsync();
        var acme = await AccountAsync(client, "Acme", "retail");
        var id = S((await CreateDealAsync(client, new { name = "Pumps", amount = 100m, discount = 10, units = 1, accountId = acme }))["id"]);
        var backups = fixture.Host.Service<TenantBackups>();
        var file = Path.Combine(Directory.CreateTempSubdirectory("crm-formula-backup-").FullName, "tenant.backup");
        await backups.BackupAsync(client.TenantId, file, CancellationToken.None);
        await UpdateDealAsync(client, id, new { discount = 50 });

        // On SQLite a store is restored while no connection holds it (docs/operations.md): let the pooled ones go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await backups.RestoreAsync(client.TenantId, file, CancellationToken.None);

        Assert.Equal(90m, (await DealAsync(client, id))["net"]!.GetValue<decimal>());
        // The restored metadata still computes it: a write after the restore recomputes from the formula.
        Assert.Equal(80m, (await UpdateDealAsync(client, id, new { discount = 20 }))["net"]!.GetValue<decimal>());
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }
}
