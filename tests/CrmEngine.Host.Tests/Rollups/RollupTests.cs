using System.Text.Json.Nodes;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Import.ImportUploads;
using static CrmEngine.Host.Tests.Queries.SalesData;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Rollups;

/// <summary>
/// Rollup fields on accounts over their invoices, over real HTTP, with hand-computed expected values:
/// kept exact by every child write (create, update, delete, restore, re-parenting), under parallel
/// writes, recomputable, refused when badly defined.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class RollupTests(HostFixture fixture)
{
    private const string Totals = "invoiceCount paidTotal maxUnits avgAmount lastIssued";

    private async Task<TenantClient> InvoicingAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync(CreateEntity, new { input = new { name = "account", labels = Labels("Account", "客户"), fields = new[] { Field("name", "TEXT", new { required = true }) } } });
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "invoice",
                labels = Labels("Invoice", "发票"),
                fields = new[]
                {
                    Field("number", "TEXT"),
                    Field("amount", "DECIMAL"),
                    Field("units", "INTEGER"),
                    Field("issuedOn", "DATE"),
                    Field("status", "PICKLIST", new { defaultValue = "open", options = Options("open", "paid") }),
                    Field("account", "LOOKUP", new { lookupEntity = "account" }),
                },
            },
        });
        await AddRollupAsync(client, "invoiceCount", new { function = "COUNT", entity = "invoice", lookup = "account" });
        await AddRollupAsync(client, "paidTotal", new { function = "SUM", entity = "invoice", lookup = "account", field = "amount", filter = new { status = new { eq = "paid" } } });
        await AddRollupAsync(client, "maxUnits", new { function = "MAX", entity = "invoice", lookup = "account", field = "units" });
        await AddRollupAsync(client, "avgAmount", new { function = "AVG", entity = "invoice", lookup = "account", field = "amount" });
        await AddRollupAsync(client, "lastIssued", new { function = "MAX", entity = "invoice", lookup = "account", field = "issuedOn" });
        return client;
    }

    private static Task<JsonNode> AddRollupAsync(TenantClient client, string name, object rollup) =>
        client.MutateAsync(AddField, new { entity = "account", input = Field(name, "ROLLUP", new { rollup }) });

    private static async Task<string> AccountAsync(TenantClient client, string name) =>
        (await client.MutateAsync("mutation($name: String!) { createAccount(input: { name: $name }) { account { id } userErrors { code message } } }", new { name }))["account"]!["id"]!.GetValue<string>();

    private static async Task<string> InvoiceAsync(TenantClient client, string account, decimal amount, int units, string status = "open", string issuedOn = "2026-01-10") =>
        (await client.MutateAsync(
            "mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { id } userErrors { code message } } }",
            new { input = new { accountId = account, amount, units, status, issuedOn } }))["invoice"]!["id"]!.GetValue<string>();

    private static Task<JsonNode> UpdateInvoiceAsync(TenantClient client, string id, object input) =>
        client.MutateAsync("mutation($id: ID!, $input: UpdateInvoiceInput!) { updateInvoice(id: $id, input: $input) { invoice { id } userErrors { code message } } }", new { id, input });

    private static async Task<JsonNode> RollupsOfAsync(TenantClient client, string account) =>
        (await client.QueryAsync($"query($id: ID!) {{ account(id: $id) {{ {Totals} }} }}", new { id = account }))["account"]!;

    private static void AssertRollups(JsonNode account, long count, decimal paid, long? maxUnits, decimal? avg, string? lastIssued)
    {
        Assert.Equal(count, account["invoiceCount"]!.GetValue<long>());
        Assert.Equal(paid, account["paidTotal"]!.GetValue<decimal>());
        Assert.Equal(maxUnits, account["maxUnits"]?.GetValue<long>());
        Assert.Equal(avg, account["avgAmount"]?.GetValue<decimal>());
        Assert.Equal(lastIssued, account["lastIssued"]?.GetValue<string>());
    }

    [Fact]
    public async Task Rollups_follow_their_children_through_create_update_delete_restore_and_reparenting()
    {
        using var client = await InvoicingAsync();
        var acme = await AccountAsync(client, "Acme");
        var beta = await AccountAsync(client, "Beta");
        AssertRollups(await RollupsOfAsync(client, acme), 0, 0m, null, null, null);

        var first = await InvoiceAsync(client, acme, 100m, 3, "paid", "2026-01-10");
        var second = await InvoiceAsync(client, acme, 50.5m, 7, "open", "2026-02-01");
        // count 2; paid 100; max units 7; avg (100 + 50.5) / 2 = 75.25; last issued 2026-02-01.
        AssertRollups(await RollupsOfAsync(client, acme), 2, 100m, 7, 75.25m, "2026-02-01");

        await UpdateInvoiceAsync(client, first, new { amount = 120m });
        // paid 120; avg (120 + 50.5) / 2 = 85.25.
        AssertRollups(await RollupsOfAsync(client, acme), 2, 120m, 7, 85.25m, "2026-02-01");

        await client.MutateAsync("mutation($id: ID!) { deleteInvoice(id: $id) { deletedId userErrors { code message } } }", new { id = second });
        // Only the first is left: count 1, paid 120, max 3, avg 120, last issued 2026-01-10.
        AssertRollups(await RollupsOfAsync(client, acme), 1, 120m, 3, 120m, "2026-01-10");

        await client.MutateAsync("mutation($id: ID!) { restoreInvoice(id: $id) { invoice { id } userErrors { code message } } }", new { id = second });
        AssertRollups(await RollupsOfAsync(client, acme), 2, 120m, 7, 85.25m, "2026-02-01");

        await UpdateInvoiceAsync(client, first, new { accountId = beta });
        // The paid invoice moves: Acme keeps the open one, Beta gets 120 paid.
        AssertRollups(await RollupsOfAsync(client, acme), 1, 0m, 7, 50.5m, "2026-02-01");
        AssertRollups(await RollupsOfAsync(client, beta), 1, 120m, 3, 120m, "2026-01-10");
    }

    [Fact]
    public async Task A_filtered_rollup_counts_a_child_only_while_it_matches_its_filter()
    {
        using var client = await InvoicingAsync();
        var acme = await AccountAsync(client, "Acme");
        var invoice = await InvoiceAsync(client, acme, 80m, 1, "open");
        await InvoiceAsync(client, acme, 20m, 1, "paid");
        Assert.Equal(20m, (await RollupsOfAsync(client, acme))["paidTotal"]!.GetValue<decimal>());

        await UpdateInvoiceAsync(client, invoice, new { status = "paid" });
        Assert.Equal(100m, (await RollupsOfAsync(client, acme))["paidTotal"]!.GetValue<decimal>());

        await UpdateInvoiceAsync(client, invoice, new { status = "open" });
        Assert.Equal(20m, (await RollupsOfAsync(client, acme))["paidTotal"]!.GetValue<decimal>());
        Assert.Equal(2, (await RollupsOfAsync(client, acme))["invoiceCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Adding_a_rollup_fills_it_in_from_the_children_already_there()
    {
        using var client = await InvoicingAsync();
        var acme = await AccountAsync(client, "Acme");
        await InvoiceAsync(client, acme, 10m, 4);
        await InvoiceAsync(client, acme, 15m, 6);
        await AddRollupAsync(client, "totalUnits", new { function = "SUM", entity = "invoice", lookup = "account", field = "units" });

        var account = (await client.QueryAsync("query($id: ID!) { account(id: $id) { totalUnits } }", new { id = acme }))["account"]!;
        Assert.Equal(10, account["totalUnits"]!.GetValue<long>());
    }

    [Fact]
    public async Task Rollups_filter_sort_and_aggregate_like_any_field()
    {
        using var client = await InvoicingAsync();
        var acme = await AccountAsync(client, "Acme");
        var beta = await AccountAsync(client, "Beta");
        await AccountAsync(client, "Gamma");
        await InvoiceAsync(client, acme, 10m, 1, "paid");
        await InvoiceAsync(client, beta, 30m, 1, "paid");
        await InvoiceAsync(client, beta, 5m, 1, "paid");

        var busy = Names((await client.QueryAsync("{ accounts(filter: { invoiceCount: { gte: 1 } }, orderBy: [{ paidTotal: DESC }]) { nodes { name } } }"))["accounts"]!);
        Assert.Equal(["Beta", "Acme"], busy);
        var totals = (await client.QueryAsync("{ accountsAggregate { sum { paidTotal invoiceCount } } }"))["accountsAggregate"]!["sum"]!;
        Assert.Equal(45m, totals["paidTotal"]!.GetValue<decimal>());
        Assert.Equal(3m, totals["invoiceCount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Twenty_parallel_child_creates_leave_an_exact_count_and_sum()
    {
        using var client = await InvoicingAsync();
        var acme = await AccountAsync(client, "Acme");
        // Amounts 1.01 .. 20.20 (i × 1.01): their sum is 1.01 × 210 = 212.10, all paid.
        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => InvoiceAsync(client, acme, i * 1.01m, i, "paid")));

        var account = await RollupsOfAsync(client, acme);
        Assert.Equal(20, account["invoiceCount"]!.GetValue<long>());
        Assert.Equal(212.10m, account["paidTotal"]!.GetValue<decimal>());
        Assert.Equal(20, account["maxUnits"]!.GetValue<long>());
    }

    [Fact]
    public async Task Imported_children_count_in_their_parents_rollups()
    {
        using var client = await InvoicingAsync();
        var acme = await AccountAsync(client, "Acme");
        await AccountAsync(client, "Beta");
        // Three invoices for Acme (by id), one for Beta (by name): Acme 3 invoices, 10 + 2.5 paid; Beta 1, 7 paid.
        var file = Csv($"account,amount,units,status\n{acme},10,1,paid\n{acme},2.5,2,paid\n{acme},99,9,open\nBeta,7,1,paid\n");
        var job = await ImportAsync(client, "invoice", file, "invoices.csv");
        Assert.Equal(4, Count(job, "rowsCreated"));

        var accounts = (await client.QueryAsync("{ accounts(orderBy: [{ name: ASC }]) { nodes { name invoiceCount paidTotal maxUnits } } }"))["accounts"]!["nodes"]!.AsArray();
        Assert.Equal(3, accounts[0]!["invoiceCount"]!.GetValue<long>());
        Assert.Equal(12.5m, accounts[0]!["paidTotal"]!.GetValue<decimal>());
        Assert.Equal(9, accounts[0]!["maxUnits"]!.GetValue<long>());
        Assert.Equal(1, accounts[1]!["invoiceCount"]!.GetValue<long>());
        Assert.Equal(7m, accounts[1]!["paidTotal"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Recompute_restores_a_value_tampered_with_in_the_database()
    {
        using var client = await InvoicingAsync();
        var acme = await AccountAsync(client, "Acme");
        await InvoiceAsync(client, acme, 40m, 2, "paid");
        await InvoiceAsync(client, acme, 2.5m, 2, "paid");
        Assert.True(GlobalId.TryDecode(acme, out _, out var id));
        var store = await fixture.Host.Service<TenantRegistry>().GetAsync(client.TenantId, CancellationToken.None);
        await using (var context = store.CreateContext())
        {
            await ColumnUpdates.SetAsync(context, "account", "paid_total", typeof(decimal?), (decimal?)999m, id, CancellationToken.None);
        }

        Assert.Equal(999m, (await RollupsOfAsync(client, acme))["paidTotal"]!.GetValue<decimal>());
        await client.MutateAsync("mutation { recomputeRollups(entity: \"account\", field: \"paidTotal\") { field { name } userErrors { code message } } }");
        Assert.Equal(42.5m, (await RollupsOfAsync(client, acme))["paidTotal"]!.GetValue<decimal>());
    }

    public static TheoryData<string, object?, string> BadDefinitions => new()
    {
        { "no definition", null, "INVALID_DEFINITION" },
        { "unknown child entity", new { function = "COUNT", entity = "nothing", lookup = "account" }, "UNKNOWN_ENTITY" },
        { "unknown lookup", new { function = "COUNT", entity = "invoice", lookup = "customer" }, "UNKNOWN_FIELD" },
        { "not a lookup", new { function = "COUNT", entity = "invoice", lookup = "number" }, "INVALID_DEFINITION" },
        { "sum without a field", new { function = "SUM", entity = "invoice", lookup = "account" }, "INVALID_DEFINITION" },
        { "count with a field", new { function = "COUNT", entity = "invoice", lookup = "account", field = "amount" }, "INVALID_DEFINITION" },
        { "unknown field", new { function = "SUM", entity = "invoice", lookup = "account", field = "tax" }, "UNKNOWN_FIELD" },
        { "sum of text", new { function = "SUM", entity = "invoice", lookup = "account", field = "number" }, "INVALID_DEFINITION" },
        { "relative date filter", new { function = "COUNT", entity = "invoice", lookup = "account", filter = new { issuedOn = new { relative = new { period = "LAST_N_DAYS", days = 365 } } } }, "INVALID_DEFINITION" },
        { "filter on an unknown field", new { function = "COUNT", entity = "invoice", lookup = "account", filter = new { tax = new { eq = 1 } } }, "UNKNOWN_FIELD" },
        { "filter with a bad operand", new { function = "COUNT", entity = "invoice", lookup = "account", filter = new { units = new { gt = "many" } } }, "INVALID_VALUE" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task A_bad_rollup_definition_is_refused_with_its_code_and_changes_nothing(string why, object? rollup, string code)
    {
        using var client = await InvoicingAsync();
        var before = (await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>();
        var payload = (await client.QueryAsync(AddField, new { entity = "account", input = Field("broken", "ROLLUP", rollup is null ? null : new { rollup }) }))["addField"]!;
        Assert.True(payload["userErrors"]!.AsArray().Count > 0, why);
        Assert.Equal(code, payload["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(before, (await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_rollup_is_read_only_and_only_rollups_can_be_recomputed()
    {
        using var client = await InvoicingAsync();
        var write = await client.PostAsync("mutation { createAccount(input: { name: \"Acme\", invoiceCount: 5 }) { account { id } } }");
        Assert.NotNull(write.Errors);
        var payload = (await client.QueryAsync("mutation { recomputeRollups(entity: \"account\", field: \"name\") { userErrors { code } } }"))["recomputeRollups"]!;
        Assert.Equal("INVALID_INPUT", payload["userErrors"]![0]!["code"]!.GetValue<string>());
    }
}
