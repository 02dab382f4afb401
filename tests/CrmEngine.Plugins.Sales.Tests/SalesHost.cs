using System.Text.Json.Nodes;
using CrmEngine.Testing;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// A real host (CrmEngine.Sdk.Testing, as an ISV tests a plugin) with the sales plugin built with
/// this project loaded from its folder, on the store the tests run on; jobs are run by the tests
/// themselves (at the times they choose), not by the background scheduler.
/// </summary>
public sealed class SalesHost : IAsyncLifetime
{
    private CrmTestHost? _host;

    public CrmTestHost Host => _host ?? throw new InvalidOperationException("The host starts in InitializeAsync.");

    public async Task InitializeAsync()
    {
        var options = new CrmTestHostOptions { PostgresConnectionString = TestStorage.IsPostgres ? TestStorage.ServerConnectionString : null };
        options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Sales"));
        _host = await CrmTestHost.StartAsync(options);
    }

    /// <summary>A new tenant with the sales plugin enabled, as its admin.</summary>
    public async Task<SalesTenant> TenantAsync() => new(await Host.CreateTenantAsync("sales"));

    public Task<int> RunJobsAsync(DateTime at) => Host.RunDueJobsAsync(at);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SalesHostGroup : ICollectionFixture<SalesHost>
{
    public const string Name = "sales host";
}

/// <summary>One tenant with sales enabled: its admin client, and users (reps, managers) with keys of their own.</summary>
public sealed class SalesTenant(CrmTestTenant tenant)
{
    public GraphQLClient Admin => tenant.Admin;

    /// <summary>A user with the built-in "user" role (plus <paramref name="roles"/>), a key acting as them, and, for reps, a sales rep profile.</summary>
    public Task<(string UserId, GraphQLClient Client)> UserAsync(string email, string name, bool rep = true, string? regions = null, long? maxAccounts = null, decimal? commissionRate = null, params string[] roles) =>
        CreateUserAsync(email, name, [.. roles, "user"], ["user"], rep, regions, maxAccounts, commissionRate);

    /// <summary>A user who holds only <paramref name="roles"/> (no built-in "user" role, a key with no roles of its own), and, for reps, a sales rep profile.</summary>
    public Task<(string UserId, GraphQLClient Client)> UserWithOnlyAsync(string email, string name, bool rep, params string[] roles) =>
        CreateUserAsync(email, name, roles, [], rep, null, null, null);

    /// <summary>A role whose record rights on every entity reach <paramref name="readScope"/> for reading and the user's own records for writing, and that hides <paramref name="hiddenFields"/> ("entity.field").</summary>
    public async Task RoleAsync(string name, string readScope, params string[] hiddenFields)
    {
        var fields = hiddenFields.Select(f => f.Split('.')).Select(f => new { entity = f[0], field = f[1], read = false, write = false }).ToArray();
        await Admin.MutateAsync(
            "mutation($role: RoleInput!) { saveRole(input: $role) { role { name } userErrors { code message } } }",
            new { role = new { name, entities = new[] { new { entity = "*", read = readScope, create = "OWN", update = "OWN", delete = "OWN" } }, fields } });
    }

    private async Task<(string UserId, GraphQLClient Client)> CreateUserAsync(string email, string name, string[] roles, string[] keyRoles, bool rep, string? regions, long? maxAccounts, decimal? commissionRate)
    {
        var user = await Admin.MutateAsync("mutation($e: String!, $n: String!, $r: [String!]) { createUser(email: $e, displayName: $n, roles: $r) { user { id } userErrors { code message } } }", new { e = email, n = name, r = roles });
        var userId = user["user"]!["id"]!.GetValue<string>();
        if (rep)
        {
            await Admin.MutateAsync("mutation($i: CreateSalesRepInput!) { createSalesRep(input: $i) { salesRep { id } userErrors { field code message } } }", new { i = new { ownerId = userId, regions, maxAccounts, commissionRate } });
        }

        return (userId, await tenant.ClientAsync(keyRoles, userId));
    }

    public async Task<string> TeamAsync(string name, string managerId, params string[] members) =>
        (await Admin.MutateAsync("mutation($n: String!, $m: ID, $ids: [ID!]) { saveTeam(name: $n, managerId: $m, memberIds: $ids) { team { id } userErrors { code message } } }", new { n = name, m = managerId, ids = members }))["team"]!["id"]!.GetValue<string>();

    public async Task SettingsAsync(object values)
    {
        var id = (await Admin.QueryAsync("{ salesSettingsRecords { nodes { id } } }"))["salesSettingsRecords"]!["nodes"]![0]!["id"]!.GetValue<string>();
        await Admin.MutateAsync("mutation($id: ID!, $i: UpdateSalesSettingsInput!) { updateSalesSettings(id: $id, input: $i) { salesSettings { id } userErrors { field code message } } }", new { id, i = values });
    }

    public async Task<int> CountAsync(string plural, string filter = "") =>
        (await Admin.QueryAsync($"{{ {plural}{(filter.Length > 0 ? $"(filter: {filter})" : string.Empty)} {{ totalCount }} }}"))[plural]!["totalCount"]!.GetValue<int>();
}

/// <summary>Reading figures.</summary>
public static class Figures
{
    public static decimal Dec(this JsonNode? node) => node!.GetValue<decimal>();
}
