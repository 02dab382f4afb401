using System.Text.Json.Nodes;
using CrmEngine.Testing;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// A real host (CrmEngine.Sdk.Testing) with the sales and partners plugins built with this project
/// loaded from their folders, on the store the tests run on; jobs are run by the tests at the times
/// they choose.
/// </summary>
public sealed class PartnersHost : IAsyncLifetime
{
    private CrmTestHost? _host;

    public CrmTestHost Host => _host ?? throw new InvalidOperationException("The host starts in InitializeAsync.");

    public async Task InitializeAsync()
    {
        var options = new CrmTestHostOptions { PostgresConnectionString = TestStorage.IsPostgres ? TestStorage.ServerConnectionString : null };
        options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Sales"));
        options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Partners"));
        _host = await CrmTestHost.StartAsync(options);
    }

    /// <summary>A new tenant with sales and partners enabled, as its admin.</summary>
    public async Task<PartnersTenant> TenantAsync() => new(await Host.CreateTenantAsync("sales", "partners"));

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
public sealed class PartnersHostGroup : ICollectionFixture<PartnersHost>
{
    public const string Name = "partners host";
}

/// <summary>One tenant with sales and partners: its admin, users with keys of their own, and the records the stories start from.</summary>
public sealed class PartnersTenant(CrmTestTenant tenant)
{
    public GraphQLClient Admin => tenant.Admin;

    /// <summary>A user with the built-in "user" role plus <paramref name="roles"/>, and a key acting as them.</summary>
    public async Task<(string UserId, GraphQLClient Client)> UserAsync(string email, string name, params string[] roles)
    {
        var user = await Admin.MutateAsync("mutation($e: String!, $n: String!, $r: [String!]) { createUser(email: $e, displayName: $n, roles: $r) { user { id } userErrors { code message } } }", new { e = email, n = name, r = (string[])[.. roles, "user"] });
        var userId = user["user"]!["id"]!.GetValue<string>();
        return (userId, await tenant.ClientAsync(["user", .. roles], userId));
    }

    /// <summary>A role that may do everything on every entity (for channel managers, whose rights are not the point of these tests).</summary>
    public Task RoleAsync(string name) => Admin.MutateAsync(
        "mutation($role: RoleInput!) { saveRole(input: $role) { role { name } userErrors { code message } } }",
        new { role = new { name, entities = new[] { new { entity = "*", read = "ALL", create = "ALL", update = "ALL", delete = "ALL" } } } });

    /// <summary>
    /// The partner portal as the README sets it up: the <c>partnerPortal</c> role and the organization
    /// lookups that tie the module's records (and sales' opportunities and accounts) to a partner.
    /// </summary>
    public async Task PortalAsync()
    {
        await Admin.MutateAsync("mutation($role: RoleInput!) { saveRole(input: $role) { role { name } userErrors { code message } } }", new { role = PortalRole });
        foreach (var entity in (string[])["partnerContact", "partnerCertification", "partnerAgreement", "dealRegistration", "mdfBudget", "mdfRequest", "opportunity", "account", "partnerCommission", "partnerRebate", "mdfClaim", "partnerPayout", "lead", "partnerLeadOffer"])
        {
            await Admin.MutateAsync("mutation($e: String!) { setOrganizationLookups(entity: $e, fields: [\"partner\"]) { fields userErrors { code message } } }", new { e = entity });
        }
    }

    public static readonly object PortalRole = new
    {
        name = "partnerPortal",
        entities = new object[]
        {
            new { entity = "partner", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "partnerContact", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "partnerCertification", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "partnerAgreement", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "dealRegistration", read = "ORGANIZATION", create = "OWN", update = "OWN", delete = "NONE" },
            new { entity = "dealConflict", read = "OWN", create = "OWN", update = "NONE", delete = "NONE" },
            new { entity = "mdfBudget", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "mdfRequest", read = "ORGANIZATION", create = "OWN", update = "OWN", delete = "NONE" },
            new { entity = "opportunity", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "account", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "partnerCommission", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "partnerRebate", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "partnerPayout", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "mdfClaim", read = "ORGANIZATION", create = "OWN", update = "OWN", delete = "NONE" },
            new { entity = "lead", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
            new { entity = "partnerLeadOffer", read = "ORGANIZATION", create = "NONE", update = "NONE", delete = "NONE" },
        },
        fields = new object[] { new { entity = "dealConflict", field = "matchedName", read = false, write = false } },
    };

    /// <summary>A partner's staff member: an external user of the partner record with the portal role, and a key acting as them.</summary>
    public async Task<GraphQLClient> PartnerStaffAsync(string email, string partnerId)
    {
        var created = await Admin.MutateAsync(
            "mutation($e: String!, $org: ID!) { createExternalUser(email: $e, displayName: $e, roles: [\"partnerPortal\"], organizationId: $org) { userId userErrors { code message } } }",
            new { e = email, org = partnerId });
        return await tenant.ClientAsync(["partnerPortal"], created["userId"]!.GetValue<string>());
    }

    public async Task<string> PartnerAsync(string name, string status = "active", string type = "reseller") =>
        (await Admin.CreateAsync("Partner", new { name, type, status, tier = "gold", regions = new[] { "east" } }))["id"]!.GetValue<string>();

    public async Task<int> CountAsync(string plural, string filter = "") =>
        (await Admin.QueryAsync($"{{ {plural}{(filter.Length > 0 ? $"(filter: {filter})" : string.Empty)} {{ totalCount }} }}"))[plural]!["totalCount"]!.GetValue<int>();
}

/// <summary>Small GraphQL helpers: create records, read ids and figures.</summary>
public static class Gql
{
    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();

    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    /// <summary>createX(input) returning the record (with <paramref name="selection"/>); asserts no userErrors.</summary>
    public static async Task<JsonNode> CreateAsync(this GraphQLClient client, string typeName, object input, string selection = "id")
    {
        var field = char.ToLowerInvariant(typeName[0]) + typeName[1..];
        var payload = await client.MutateAsync($"mutation($i: Create{typeName}Input!) {{ create{typeName}(input: $i) {{ {field} {{ {selection} }} userErrors {{ field code message }} }} }}", new { i = input });
        return payload[field]!;
    }

    /// <summary>updateX(id, input); asserts no userErrors.</summary>
    public static Task<JsonNode> UpdateAsync(this GraphQLClient client, string typeName, string id, object input) =>
        client.MutateAsync($"mutation($id: ID!, $i: Update{typeName}Input!) {{ update{typeName}(id: $id, input: $i) {{ userErrors {{ field code message }} }} }}", new { id, i = input });

    /// <summary>A plugin mutation's result; asserts no userErrors.</summary>
    public static async Task<JsonNode> RunAsync(this GraphQLClient client, string mutation, object? variables = null) =>
        (await client.MutateAsync(mutation, variables))["result"]!;
}
