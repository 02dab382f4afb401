using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>
/// A sales office for permission tests, set up through the admin API as a tenant admin would:
/// <list type="bullet">
/// <item>alice (role ownRep: own records only) and bob (role teamRep: his team's records, with
/// margin, tier and notes of accounts hidden) in team East, managed by mike (teamRep);</item>
/// <item>carol (ownRep) in team West; dave (built-in "user": reads all, writes his own).</item>
/// </list>
/// Accounts "Acme East Alice", "Acme East Bob" and "Acme West Carol" are owned by alice, bob and
/// carol; alice's contact points at carol's account and carol's at alice's.
/// </summary>
public sealed class Office : IDisposable
{
    private const string CreateUser = "mutation($email: String!, $roles: [String!]) { createUser(email: $email, displayName: $email, roles: $roles) { user { id } userErrors { code message } } }";
    private const string CreateKey = "mutation($userId: ID!, $roles: [String!]!) { createApiKey(name: \"as user\", roles: $roles, userId: $userId) { key userErrors { code message } } }";

    private readonly List<TenantClient> _clients = [];

    private Office(TenantClient admin) => Admin = admin;

    public TenantClient Admin { get; }

    public Dictionary<string, TenantClient> As { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> UserIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Account ids by owner name.</summary>
    public Dictionary<string, string> Accounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Contact ids by owner name.</summary>
    public Dictionary<string, string> Contacts { get; } = new(StringComparer.Ordinal);

    public static async Task<Office> OpenAsync(CrmHost host)
    {
        var office = new Office(await host.NewTenantAsync());
        await office.DefineAsync();
        foreach (var (name, role) in new[] { ("alice", "ownRep"), ("bob", "teamRep"), ("carol", "ownRep"), ("mike", "teamRep"), ("dave", "user") })
        {
            await office.AddUserAsync(host, name, role);
        }

        await office.TeamAsync("East", "mike", "alice", "bob");
        await office.TeamAsync("West", null, "carol");
        foreach (var (owner, region, margin) in new[] { ("alice", "East", 10m), ("bob", "East", 20m), ("carol", "West", 30m) })
        {
            office.Accounts[owner] = await office.CreateAsync("account", owner, new JsonObject
            {
                ["name"] = $"Acme {region} {char.ToUpperInvariant(owner[0])}{owner[1..]}",
                ["industry"] = "retail",
                ["tier"] = "gold",
                ["margin"] = margin,
                ["notes"] = $"secretword{owner}",
            });
        }

        office.Contacts["alice"] = await office.CreateAsync("contact", "alice", new JsonObject { ["name"] = "Alice's contact", ["accountId"] = office.Accounts["carol"] });
        office.Contacts["carol"] = await office.CreateAsync("contact", "carol", new JsonObject { ["name"] = "Carol's contact", ["accountId"] = office.Accounts["alice"] });
        return office;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        Admin.Dispose();
    }

    private async Task DefineAsync()
    {
        object Options(params string[] values) => values.Select(v => new { value = v, labels = Labels(v, v) }).ToArray();
        await Admin.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "account",
                labels = Labels("Account", "客户"),
                fields = new[]
                {
                    Field("name", "TEXT", new { required = true, searchable = true }),
                    Field("industry", "PICKLIST", new { options = Options("retail", "telecom") }),
                    Field("tier", "PICKLIST", new { options = Options("gold", "silver") }),
                    Field("margin", "DECIMAL"),
                    Field("notes", "TEXT", new { searchable = true }),
                },
            },
        });
        await Admin.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "contact",
                labels = Labels("Contact", "联系人"),
                fields = new[] { Field("name", "TEXT", new { required = true, searchable = true }), Field("account", "LOOKUP", new { lookupEntity = "account" }) },
            },
        });
        await SaveRoleAsync(new { name = "ownRep", entities = new object[] { new { entity = "*", read = "OWN", create = "OWN", update = "OWN", delete = "OWN" } } });
        await SaveRoleAsync(new
        {
            name = "teamRep",
            entities = new object[] { new { entity = "*", read = "TEAM", create = "OWN", update = "TEAM", delete = "OWN", assign = "TEAM" } },
            fields = new object[]
            {
                new { entity = "account", field = "margin", read = false, write = false },
                new { entity = "account", field = "tier", read = false, write = false },
                new { entity = "account", field = "notes", read = false, write = false },
            },
        });
    }

    public Task<JsonNode> SaveRoleAsync(object input) =>
        Admin.MutateAsync("mutation($input: RoleInput!) { saveRole(input: $input) { role { name } userErrors { code message } } }", new { input });

    public async Task AddUserAsync(CrmHost host, string name, string role)
    {
        var user = await Admin.MutateAsync(CreateUser, new { email = name + "@office.example", roles = new[] { role } });
        await AddClientAsync(host, name, user["user"]!["id"]!.GetValue<string>());
    }

    /// <summary>Issues a key acting as the user <paramref name="id"/> and keeps its client under <paramref name="name"/>.</summary>
    public async Task AddClientAsync(CrmHost host, string name, string id, params string[] keyRoles)
    {
        var key = (await Admin.MutateAsync(CreateKey, new { userId = id, roles = keyRoles }))["key"]!.GetValue<string>();
        var client = host.Client(Admin.TenantId, key);
        _clients.Add(client);
        UserIds[name] = id;
        As[name] = client;
    }

    private Task<JsonNode> TeamAsync(string name, string? manager, params string[] members) =>
        Admin.MutateAsync("mutation($name: String!, $m: ID, $members: [ID!]) { saveTeam(name: $name, managerId: $m, memberIds: $members) { team { id } userErrors { code message } } }",
            new { name, m = manager is null ? null : UserIds[manager], members = members.Select(m => UserIds[m]).ToArray() });

    private async Task<string> CreateAsync(string entity, string owner, JsonObject input)
    {
        input["ownerId"] = UserIds[owner];
        var type = char.ToUpperInvariant(entity[0]) + entity[1..];
        var payload = await Admin.MutateAsync($"mutation($input: Create{type}Input!) {{ create{type}(input: $input) {{ {entity} {{ id }} userErrors {{ code message }} }} }}", new { input });
        return payload[entity]!["id"]!.GetValue<string>();
    }
}
