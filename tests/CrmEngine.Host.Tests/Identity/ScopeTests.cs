using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>
/// Own, team and all scopes hold on every read path (get, node, lists, counts, aggregates, search,
/// lookups, inverse lists, filters through lookups) and every write; out-of-scope records are
/// "not found", never "forbidden".
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ScopeTests(HostFixture fixture)
{
    [Fact]
    public async Task Lists_and_their_counts_hold_only_the_records_in_scope()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        const string query = "{ accounts(orderBy: [{ name: ASC }]) { totalCount nodes { name } } }";

        Assert.Equal(["Acme East Alice"], await NamesAsync(office.As["alice"], query));
        Assert.Equal(["Acme East Alice", "Acme East Bob"], await NamesAsync(office.As["bob"], query));
        Assert.Equal(["Acme East Alice", "Acme East Bob"], await NamesAsync(office.As["mike"], query));
        Assert.Equal(["Acme West Carol"], await NamesAsync(office.As["carol"], query));
        Assert.Equal(["Acme East Alice", "Acme East Bob", "Acme West Carol"], await NamesAsync(office.As["dave"], query));

        var counts = await office.As["bob"].QueryAsync(query);
        Assert.Equal(2, counts["accounts"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Aggregates_count_and_sum_only_rows_in_scope()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        const string query = "{ accountsAggregate { count sum { margin } } }";

        var alice = (await office.As["alice"].QueryAsync(query))["accountsAggregate"]!;
        Assert.Equal(1, alice["count"]!.GetValue<int>());
        Assert.Equal(10m, alice["sum"]!["margin"]!.GetValue<decimal>());

        var carol = (await office.As["carol"].QueryAsync("{ accountsAggregate(groupBy: [{ field: industry }]) { groups { count } } contactsAggregate { count } }"));
        Assert.Equal(1, carol["accountsAggregate"]!["groups"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(1, carol["contactsAggregate"]!["count"]!.GetValue<int>());

        var dave = (await office.As["dave"].QueryAsync(query))["accountsAggregate"]!;
        Assert.Equal(3, dave["count"]!.GetValue<int>());
        Assert.Equal(60m, dave["sum"]!["margin"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Records_out_of_scope_are_not_found_by_id_global_id_or_batch()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var alice = office.As["alice"];
        var carols = office.Accounts["carol"];
        var data = await alice.QueryAsync("query($own: ID!, $other: ID!) { account(id: $other) { name } node(id: $other) { id } nodes(ids: [$own, $other]) { id } auditTrail(id: $other) { operation } }",
            new { own = office.Accounts["alice"], other = carols });

        Assert.Null(data["account"]);
        Assert.Null(data["node"]);
        Assert.Equal(office.Accounts["alice"], data["nodes"]![0]!["id"]!.GetValue<string>());
        Assert.Null(data["nodes"]![1]);
        Assert.Empty(data["auditTrail"]!.AsArray());

        var dave = await office.As["dave"].QueryAsync("query($id: ID!) { account(id: $id) { name } }", new { id = carols });
        Assert.Equal("Acme West Carol", dave["account"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_finds_only_records_in_scope()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        const string query = "{ search(text: \"Acme\") { record { ... on Account { name } } } }";

        Assert.Equal(["Acme East Alice"], await SearchAsync(office.As["alice"], query));
        Assert.Equal(["Acme East Alice", "Acme East Bob"], await SearchAsync(office.As["bob"], query));
        Assert.Equal(3, (await SearchAsync(office.As["dave"], query)).Count);
    }

    [Fact]
    public async Task Lookups_inverse_lists_and_filters_through_lookups_do_not_reach_records_out_of_scope()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var alice = office.As["alice"];

        // Alice's contact points at carol's account: the relation is empty for her, as if absent.
        var contact = await alice.QueryAsync("{ contacts { nodes { name account { name } } } }");
        Assert.Null(contact["contacts"]!["nodes"]![0]!["account"]);

        // Carol's contact points at alice's account, but is carol's: alice's inverse list skips it.
        var inverse = await alice.QueryAsync("{ accounts { nodes { name contacts { totalCount nodes { name } } } } }");
        Assert.Equal(0, inverse["accounts"]!["nodes"]![0]!["contacts"]!["totalCount"]!.GetValue<int>());

        // A filter through the lookup can't test fields of the account she can't see.
        var probe = await alice.QueryAsync("{ contacts(filter: { account: { name: { eq: \"Acme West Carol\" } } }) { totalCount } }");
        Assert.Equal(0, probe["contacts"]!["totalCount"]!.GetValue<int>());
        var inverseProbe = await alice.QueryAsync("{ accounts(filter: { contacts: { some: { name: { eq: \"Carol's contact\" } } } }) { totalCount } }");
        Assert.Equal(0, inverseProbe["accounts"]!["totalCount"]!.GetValue<int>());

        // Dave reads everything, so for him the same paths are all there.
        var dave = await office.As["dave"].QueryAsync("{ contacts(filter: { account: { name: { eq: \"Acme West Carol\" } } }) { nodes { account { name } } } }");
        Assert.Equal("Acme West Carol", dave["contacts"]!["nodes"]![0]!["account"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Writes_out_of_scope_are_not_found_and_writes_to_visible_records_without_the_right_are_forbidden()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var carols = office.Accounts["carol"];
        var alices = office.Accounts["alice"];

        // Alice can't see carol's account: every write to it is "not found".
        Assert.Equal("NOT_FOUND", await WriteErrorAsync(office.As["alice"], "updateAccount(id: $id, input: { name: \"taken\" })", carols));
        Assert.Equal("NOT_FOUND", await WriteErrorAsync(office.As["alice"], "deleteAccount(id: $id)", carols));
        Assert.Equal("NOT_FOUND", await WriteErrorAsync(office.As["alice"], "restoreAccount(id: $id)", carols));
        // Nor can she point her contact at it.
        Assert.Equal("LOOKUP_NOT_FOUND", await WriteErrorAsync(office.As["alice"], "createContact(input: { name: \"x\", accountId: $id })", carols));

        // Dave sees alice's account but may only change his own: forbidden, not hidden.
        Assert.Equal("FORBIDDEN", await WriteErrorAsync(office.As["dave"], "updateAccount(id: $id, input: { name: \"taken\" })", alices));

        // Bob updates his teammate's account (team scope) but deletes only his own.
        Assert.Null(await WriteErrorAsync(office.As["bob"], "updateAccount(id: $id, input: { name: \"Acme East Alice 2\" })", alices));
        Assert.Equal("FORBIDDEN", await WriteErrorAsync(office.As["bob"], "deleteAccount(id: $id)", alices));

        var check = await office.Admin.QueryAsync("query($id: ID!) { account(id: $id) { name version deletedAt } }", new { id = carols });
        Assert.Equal(("Acme West Carol", 1), (check["account"]!["name"]!.GetValue<string>(), check["account"]!["version"]!.GetValue<int>()));
        var log = await office.Admin.QueryAsync("{ securityLog(event: \"access_denied\") { detail } }");
        Assert.NotEmpty(log["securityLog"]!.AsArray());
    }

    [Fact]
    public async Task Owners_are_assigned_only_with_the_right_to_reassign_and_system_columns_are_never_input()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        const string create = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { ownerId } userErrors { code field } } }";

        var byAlice = await office.As["alice"].QueryAsync(create, new { input = new { name = "mine?", ownerId = office.UserIds["carol"] } });
        Assert.Equal("FORBIDDEN", byAlice["createAccount"]!["userErrors"]![0]!["code"]!.GetValue<string>());

        var toTeammate = await office.As["bob"].QueryAsync(create, new { input = new { name = "for alice", ownerId = office.UserIds["alice"] } });
        Assert.Equal(office.UserIds["alice"], toTeammate["createAccount"]!["account"]!["ownerId"]!.GetValue<string>());
        var outsideTeam = await office.As["bob"].QueryAsync(create, new { input = new { name = "for carol", ownerId = office.UserIds["carol"] } });
        Assert.Equal("FORBIDDEN", outsideTeam["createAccount"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        var reassign = await office.As["bob"].QueryAsync("mutation($id: ID!, $owner: ID!) { updateAccount(id: $id, input: { ownerId: $owner }) { userErrors { code } } }",
            new { id = office.Accounts["bob"], owner = office.UserIds["carol"] });
        Assert.Equal("FORBIDDEN", reassign["updateAccount"]!["userErrors"]![0]!["code"]!.GetValue<string>());

        foreach (var system in new[] { "id", "version", "createdAt", "createdBy", "updatedAt", "updatedBy", "deletedAt", "tenant" })
        {
            var input = new JsonObject { ["name"] = "x", [system] = system is "version" ? 7 : "2020-01-01T00:00:00Z" };
            var refused = await office.As["alice"].PostAsync(create, new { input });
            Assert.NotNull(refused.Errors);
            Assert.Contains(system, refused.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var count = await office.Admin.QueryAsync("{ accounts(filter: { name: { eq: \"x\" } }) { totalCount } }");
        Assert.Equal(0, count["accounts"]!["totalCount"]!.GetValue<int>());
    }

    private static async Task<List<string>> NamesAsync(TenantClient client, string query) =>
        (await client.QueryAsync(query))["accounts"]!["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).ToList();

    private static async Task<List<string>> SearchAsync(TenantClient client, string query) =>
        (await client.QueryAsync(query))["search"]!.AsArray().Select(h => h!["record"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    /// <summary>Runs one record mutation on $id and returns its first userError code, or null when it succeeded.</summary>
    private static async Task<string?> WriteErrorAsync(TenantClient client, string mutation, string id)
    {
        var data = await client.QueryAsync($"mutation($id: ID!) {{ result: {mutation} {{ userErrors {{ code message }} }} }}", new { id });
        var errors = data["result"]!["userErrors"]!.AsArray();
        return errors.Count == 0 ? null : errors[0]!["code"]!.GetValue<string>();
    }
}
