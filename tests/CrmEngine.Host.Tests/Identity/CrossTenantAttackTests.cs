using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>
/// Tenant B's admin, holding ids and global ids of tenant A's records (same entity names, so the
/// global ids even carry a type B knows), reaches nothing: every path answers "not found" or empty,
/// and tenant A's data is unchanged.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class CrossTenantAttackTests(HostFixture fixture)
{
    private const string Mallory = "mallory";

    [Fact]
    public async Task Reads_with_another_tenants_ids_find_nothing()
    {
        var (victim, attacker, account, contact) = await TenantsAsync();
        using (victim)
        using (attacker)
        {
            var data = await attacker.QueryAsync("""
                query($a: ID!, $c: ID!) {
                  account(id: $a) { name }
                  deleted: account(id: $a, deleted: true) { name }
                  node(id: $c) { id }
                  nodes(ids: [$a, $c]) { id }
                  auditTrail(id: $a) { operation }
                  byId: accounts(filter: { id: { in: [$a] } }) { totalCount }
                  viaLookup: contacts(filter: { account: { id: { eq: $a } } }) { totalCount }
                  search(text: "深圳华为") { entity }
                  totals: accountsAggregate { count }
                }
                """, new { a = account, c = contact });

            Assert.Null(data["account"]);
            Assert.Null(data["deleted"]);
            Assert.Null(data["node"]);
            Assert.Equal([null, null], data["nodes"]!.AsArray().Select(n => n?.ToJsonString()));
            Assert.Empty(data["auditTrail"]!.AsArray());
            Assert.Equal(0, data["byId"]!["totalCount"]!.GetValue<int>());
            Assert.Equal(0, data["viaLookup"]!["totalCount"]!.GetValue<int>());
            Assert.Empty(data["search"]!.AsArray());
            Assert.Equal(1, data["totals"]!["count"]!.GetValue<int>()); // its own account only
        }
    }

    [Fact]
    public async Task Writes_with_another_tenants_ids_are_not_found_and_change_nothing()
    {
        var (victim, attacker, account, contact) = await TenantsAsync();
        using (victim)
        using (attacker)
        {
            var data = await attacker.QueryAsync("""
                mutation($a: ID!, $c: ID!) {
                  update: updateAccount(id: $a, input: { name: "pwned" }) { userErrors { code message } }
                  delete: deleteContact(id: $c) { userErrors { code message } }
                  restore: restoreAccount(id: $a) { userErrors { code message } }
                  link: createContact(input: { name: "spy", accountId: $a }) { contact { id } userErrors { code message } }
                }
                """, new { a = account, c = contact });

            Assert.Equal("NOT_FOUND", Code(data["update"]!));
            Assert.Equal("NOT_FOUND", Code(data["delete"]!));
            Assert.Equal("NOT_FOUND", Code(data["restore"]!));
            Assert.Equal("LOOKUP_NOT_FOUND", Code(data["link"]!));
            Assert.DoesNotContain(victim.TenantId, data.ToJsonString(), StringComparison.Ordinal);

            var after = await victim.QueryAsync("query($a: ID!, $c: ID!) { account(id: $a) { name version } contact(id: $c) { name deletedAt } contacts { totalCount } }", new { a = account, c = contact });
            Assert.Equal("深圳华为技术有限公司", after["account"]!["name"]!.GetValue<string>());
            Assert.Equal(1, after["account"]!["version"]!.GetValue<int>());
            Assert.Null(after["contact"]!["deletedAt"]);
            Assert.Equal(1, after["contacts"]!["totalCount"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Another_tenants_users_are_unknown_to_identity_operations()
    {
        var (victim, attacker, _, _) = await TenantsAsync();
        using (victim)
        using (attacker)
        {
            var user = await victim.MutateAsync("mutation { createUser(email: \"victim@a.example\", displayName: \"V\") { user { id } userErrors { code } } }");
            var id = user["user"]!["id"]!.GetValue<string>();
            var data = await attacker.QueryAsync("mutation($id: ID!) { setUserRoles(id: $id, roles: [\"admin\"]) { userErrors { code } } createApiKey(name: \"k\", roles: [], userId: $id) { key userErrors { code } } }", new { id });
            Assert.Equal("NOT_FOUND", data["setUserRoles"]!["userErrors"]![0]!["code"]!.GetValue<string>());
            Assert.Null(data["createApiKey"]!["key"]);
            Assert.Equal("NOT_FOUND", data["createApiKey"]!["userErrors"]![0]!["code"]!.GetValue<string>());
            Assert.DoesNotContain(Mallory, (await victim.QueryAsync("{ apiKeys { name } }")).ToJsonString(), StringComparison.Ordinal);
        }
    }

    private static string Code(System.Text.Json.Nodes.JsonNode payload) => payload["userErrors"]![0]!["code"]!.GetValue<string>();

    /// <summary>Two tenants with the same entities; A has an account and a contact, B has its own data.</summary>
    private async Task<(TenantClient Victim, TenantClient Attacker, string Account, string Contact)> TenantsAsync()
    {
        var victim = await fixture.Host.NewTenantAsync();
        var attacker = await fixture.Host.NewTenantAsync(Mallory + Guid.NewGuid().ToString("N")[..8]);
        await DefineAsync(victim);
        await DefineAsync(attacker);
        var account = await AccountAsync(victim, "深圳华为技术有限公司", "telecom");
        var contact = await ContactAsync(victim, "Alice", new { accountId = account });
        await AccountAsync(attacker, "Mallory Ltd", "retail");
        return (victim, attacker, account, contact);
    }
}
