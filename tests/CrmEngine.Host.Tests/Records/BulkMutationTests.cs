using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Rules.RuleQueries;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Records;

/// <summary>createMany, updateMany and upsertMany over real HTTP: each item answers for itself, or all of them together when atomic.</summary>
[Collection(HostGroup.Name)]
public sealed class BulkMutationTests(HostFixture fixture)
{
    public const string Results = "results { index created project { id title code headcount contactEmail version } userErrors { field code message } } userErrors { field code message }";

    private const string CreateMany = $"mutation($inputs: [CreateProjectInput!]!, $atomic: Boolean) {{ createManyProjects(inputs: $inputs, atomic: $atomic) {{ {Results} }} }}";

    private const string UpdateMany = $"mutation($inputs: [UpdateManyProjectsInput!]!, $atomic: Boolean) {{ updateManyProjects(inputs: $inputs, atomic: $atomic) {{ {Results} }} }}";

    private const string UpsertMany = $"mutation($inputs: [CreateProjectInput!]!, $matchOn: String!) {{ upsertManyProjects(inputs: $inputs, matchOn: $matchOn) {{ {Results} }} }}";

    [Fact]
    public async Task A_refused_item_writes_nothing_and_the_items_around_it_are_written()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var payload = (await client.QueryAsync(CreateMany, new
        {
            inputs = new object[]
            {
                new { title = "Alpha", contactEmail = "alpha@example.cn" },
                new { headcount = 3 },
                new { title = "Alpha again", contactEmail = "ALPHA@example.cn" },
                new { title = "Beta", headcount = -1 },
                new { title = "Gamma", headcount = 4 },
            },
        }))["createManyProjects"]!;

        Assert.Empty(payload["userErrors"]!.AsArray());
        var results = payload["results"]!.AsArray();
        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => r!["index"]!.GetValue<int>()));
        Assert.Equal([null, "REQUIRED", "UNIQUE_VIOLATION", "OUT_OF_RANGE", null], results.Select(r => Code(r!)));
        Assert.Equal([true, false, false, false, true], results.Select(r => r!["created"]!.GetValue<bool>()));
        Assert.Null(results[1]!["project"]);

        // Only the two valid items are stored, numbered one after the other: the refused ones took nothing.
        var stored = await client.QueryAsync("{ projects(orderBy: [{ code: ASC }]) { nodes { title code version history { operation } } } }");
        var nodes = stored["projects"]!["nodes"]!.AsArray();
        Assert.Equal(["Alpha", "Gamma"], nodes.Select(n => n!["title"]!.GetValue<string>()));
        Assert.Equal(["PRJ-0001", "PRJ-0002"], nodes.Select(n => n!["code"]!.GetValue<string>()));
        Assert.All(nodes, n => Assert.Equal(["create"], n!["history"]!.AsArray().Select(h => h!["operation"]!.GetValue<string>())));
        Assert.Equal("PRJ-0002", results[4]!["project"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_atomic_request_with_a_refused_item_writes_nothing_and_reports_every_item()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var refused = (await client.QueryAsync(CreateMany, new
        {
            atomic = true,
            inputs = new object[] { new { title = "One" }, new { title = "Two", headcount = -5 }, new { title = "Three" }, new { headcount = 1 } },
        }))["createManyProjects"]!;

        Assert.Equal(["NOT_WRITTEN", "OUT_OF_RANGE", "NOT_WRITTEN", "REQUIRED"], refused["results"]!.AsArray().Select(r => Code(r!)));
        Assert.All(refused["results"]!.AsArray(), r => Assert.Null(r!["project"]));
        Assert.Equal(0, await CountAsync(client));

        var accepted = (await client.QueryAsync(CreateMany, new { atomic = true, inputs = new object[] { new { title = "One" }, new { title = "Two" } } }))["createManyProjects"]!;
        Assert.All(accepted["results"]!.AsArray(), r => Assert.Null(Code(r!)));
        Assert.Equal(2, await CountAsync(client));
        // The sequence was rolled back with the refused request: the first numbers are still free.
        Assert.Equal("PRJ-0001", accepted["results"]![0]!["project"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Updates_are_checked_per_item_against_their_own_version_and_id()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var created = (await client.MutateAsync(CreateMany, new { inputs = new object[] { new { title = "A" }, new { title = "B" }, new { title = "C" } } }))["results"]!.AsArray();
        var ids = created.Select(r => r!["project"]!["id"]!.GetValue<string>()).ToList();

        var payload = (await client.QueryAsync(UpdateMany, new
        {
            inputs = new object[]
            {
                new { id = ids[0], version = 1, headcount = 10 },
                new { id = ids[1], version = 7, headcount = 20 },
                new { id = "not-an-id", headcount = 30 },
                new { id = ids[2], title = "C2", headcount = 40 },
            },
        }))["updateManyProjects"]!;

        var results = payload["results"]!.AsArray();
        Assert.Equal([null, "VERSION_CONFLICT", "INVALID_ID", null], results.Select(r => Code(r!)));
        Assert.All(results, r => Assert.False(r!["created"]!.GetValue<bool>()));
        Assert.Equal((2, 10), (results[0]!["project"]!["version"]!.GetValue<int>(), results[0]!["project"]!["headcount"]!.GetValue<int>()));
        var stored = await client.QueryAsync("{ projects(orderBy: [{ title: ASC }]) { nodes { title headcount version } } }");
        Assert.Equal(["A:10:2", "B::1", "C2:40:2"], stored["projects"]!["nodes"]!.AsArray().Select(n => $"{n!["title"]}:{n["headcount"]}:{n["version"]}"));
    }

    [Fact]
    public async Task Upsert_updates_the_record_holding_the_unique_value_and_creates_the_others()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var existing = (await client.MutateAsync("mutation { createProject(input: { title: \"Old\", contactEmail: \"old@example.cn\" }) { project { id } userErrors { code } } }"))["project"]!["id"]!.GetValue<string>();

        var payload = (await client.QueryAsync(UpsertMany, new
        {
            matchOn = "contactEmail",
            inputs = new object[]
            {
                new { title = "Old renamed", contactEmail = "OLD@example.cn" },
                new { title = "New", contactEmail = "new@example.cn" },
                new { title = "New again", contactEmail = "new@example.cn", headcount = 2 },
                new { title = "No key" },
            },
        }))["upsertManyProjects"]!;

        var results = payload["results"]!.AsArray();
        Assert.Equal([null, null, null, "REQUIRED"], results.Select(r => Code(r!)));
        Assert.Equal([false, true, false, false], results.Select(r => r!["created"]!.GetValue<bool>()));
        Assert.Equal(existing, results[0]!["project"]!["id"]!.GetValue<string>());
        // The third item found the record the second one made moments before, in the same request.
        Assert.Equal(results[1]!["project"]!["id"]!.GetValue<string>(), results[2]!["project"]!["id"]!.GetValue<string>());
        var stored = await client.QueryAsync("{ projects(orderBy: [{ contactEmail: ASC }]) { nodes { title contactEmail headcount version } } }");
        Assert.Equal(["New again:new@example.cn:2:2", "Old renamed:old@example.cn::2"],
            stored["projects"]!["nodes"]!.AsArray().Select(n => $"{n!["title"]}:{n["contactEmail"]}:{n["headcount"]}:{n["version"]}"));
    }

    [Theory]
    [InlineData("title")]
    [InlineData("nothing")]
    public async Task Upsert_on_a_field_that_is_not_unique_is_refused_and_writes_nothing(string matchOn)
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var payload = (await client.QueryAsync(UpsertMany, new { matchOn, inputs = new object[] { new { title = "A" } } }))["upsertManyProjects"]!;

        Assert.Equal(("NOT_UNIQUE_FIELD", "matchOn"), (payload["userErrors"]![0]!["code"]!.GetValue<string>(), payload["userErrors"]![0]!["field"]!.GetValue<string>()));
        Assert.Contains("contactEmail", payload["userErrors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(payload["results"]!.AsArray());
        Assert.Equal(0, await CountAsync(client));
    }

    [Fact]
    public async Task Before_rules_run_for_each_item_and_after_rules_follow_each_written_one()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "shout", entity = "project", triggers = new[] { "BEFORE_CREATE" },
            script = "if (record.headcount > 10) crm.reject('团队太大', 'headcount'); record.title = record.title.toUpperCase();" });
        await SaveAsync(client, new { name = "welcome", entity = "project", triggers = new[] { "AFTER_CREATE" }, script = "crm.create('account', { name: '跟进 ' + record.title });" });

        var payload = (await client.QueryAsync(CreateMany, new { inputs = new object[] { new { title = "a" }, new { title = "b", headcount = 11 }, new { title = "c" } } }))["createManyProjects"]!;

        var results = payload["results"]!.AsArray();
        Assert.Equal([null, "REJECTED", null], results.Select(r => Code(r!)));
        Assert.Equal("headcount", results[1]!["userErrors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(["A", "C"], new[] { results[0], results[2] }.Select(r => r!["project"]!["title"]!.GetValue<string>()));
        var accounts = await client.EventuallyAsync("{ accounts(orderBy: [{ name: ASC }]) { nodes { name } } }", d => d["accounts"]!["nodes"]!.AsArray().Count == 2);
        Assert.Equal(["跟进 A", "跟进 C"], accounts["accounts"]!["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_item_must_be_the_callers_to_write_and_hidden_records_answer_as_made_up_ids()
    {
        using var office = await Identity.Office.OpenAsync(fixture.Host);
        const string Update = "mutation($inputs: [UpdateManyAccountsInput!]!) { updateManyAccounts(inputs: $inputs) { results { index account { name } userErrors { field code } } userErrors { code } } }";
        const string Create = "mutation($inputs: [CreateAccountInput!]!) { createManyAccounts(inputs: $inputs) { results { index account { name } userErrors { field code } } userErrors { code } } }";

        // Bob (teamRep) may change his team's accounts but not their margin, and carol's not at all.
        var updated = (await office.As["bob"].QueryAsync(Update, new
        {
            inputs = new object[]
            {
                new { id = office.Accounts["alice"], name = "Alice renamed by Bob" },
                new { id = office.Accounts["carol"], name = "Carol renamed by Bob" },
                new { id = office.Accounts["bob"], margin = 99 },
                new { id = office.Accounts["bob"], name = "Bob renamed" },
            },
        }))["updateManyAccounts"]!["results"]!.AsArray();
        Assert.Equal([null, "NOT_FOUND", "FORBIDDEN", null], updated.Select(r => Code(r!)));
        Assert.Equal("margin", updated[2]!["userErrors"]![0]!["field"]!.GetValue<string>());

        // Alice (ownRep) may create records she owns, not records for carol.
        var created = (await office.As["alice"].QueryAsync(Create, new
        {
            inputs = new object[] { new { name = "Mine" }, new { name = "Carol's", ownerId = office.UserIds["carol"] } },
        }))["createManyAccounts"]!["results"]!.AsArray();
        Assert.Equal([null, "FORBIDDEN"], created.Select(r => Code(r!)));

        var names = await office.Admin.QueryAsync("{ accounts(orderBy: [{ name: ASC }]) { nodes { name margin } } }");
        Assert.Equal(["Acme West Carol", "Alice renamed by Bob", "Bob renamed", "Mine"], names["accounts"]!["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
        var log = await office.Admin.QueryAsync("{ securityLog(event: \"access_denied\") { detail } }");
        Assert.Contains(log["securityLog"]!.AsArray(), e => e!["detail"]!.GetValue<string>().StartsWith("updateManyAccounts: 1 item(s) refused, the first at index 2", StringComparison.Ordinal));
    }

    public static string? Code(JsonNode result) => result["userErrors"]!.AsArray().FirstOrDefault()?["code"]!.GetValue<string>();

    public static async Task<int> CountAsync(TenantClient client) => (await client.QueryAsync("{ projects { totalCount } }"))["projects"]!["totalCount"]!.GetValue<int>();
}
