using System.Text.Json.Nodes;
using CrmEngine.Testing;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// A real host (CrmEngine.Sdk.Testing) with the sales plugin and the marketing plugin that depends on
/// it, both built with this project and loaded from their folders, on the store the tests run on.
/// Its SMTP listener takes mail on a loopback port (<see cref="SmtpPort"/>), so bounce reports and
/// unsubscribe mails reach the module as in production.
/// </summary>
public sealed class MarketingHost : IAsyncLifetime
{
    private CrmTestHost? _host;

    public CrmTestHost Host => _host ?? throw new InvalidOperationException("The host starts in InitializeAsync.");

    public int SmtpPort { get; } = InboundMail.FreePort();

    public async Task InitializeAsync()
    {
        var options = new CrmTestHostOptions { PostgresConnectionString = TestStorage.IsPostgres ? TestStorage.ServerConnectionString : null };
        // The SMS tests' gateway listens on loopback, which the messaging channels refuse by default.
        options.Settings["Crm:Webhooks:AllowLoopback"] = "true";
        InboundMail.Listen(options, SmtpPort);
        options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Sales"));
        options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Marketing"));
        _host = await CrmTestHost.StartAsync(options);
    }

    /// <summary>A new tenant with sales and marketing enabled, as its admin.</summary>
    public async Task<MarketingTenant> TenantAsync() => new(await Host.CreateTenantAsync("sales", "marketing"));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MarketingHostGroup : ICollectionFixture<MarketingHost>
{
    public const string Name = "marketing host";
}

/// <summary>One tenant with sales and marketing enabled, and the GraphQL its tests repeat.</summary>
public sealed class MarketingTenant(CrmTestTenant tenant)
{
    public const string Errors = "userErrors { field code message }";

    public GraphQLClient Admin => tenant.Admin;

    /// <summary>createX(input) returning the record's id and <paramref name="selection"/>; asserts no userErrors.</summary>
    public async Task<JsonNode> CreateAsync(string typeName, object input, string selection = "id")
    {
        var field = char.ToLowerInvariant(typeName[0]) + typeName[1..];
        var payload = await Admin.MutateAsync($"mutation($i: Create{typeName}Input!) {{ create{typeName}(input: $i) {{ {field} {{ id {selection} }} {Errors} }} }}", new { i = input });
        return payload[field]!;
    }

    public async Task<string> IdAsync(string typeName, object input) => (await CreateAsync(typeName, input))["id"]!.GetValue<string>();

    public async Task<JsonNode> UpdateAsync(string typeName, string id, object input, string selection = "id")
    {
        var field = char.ToLowerInvariant(typeName[0]) + typeName[1..];
        var payload = await Admin.MutateAsync($"mutation($id: ID!, $i: Update{typeName}Input!) {{ update{typeName}(id: $id, input: $i) {{ {field} {{ {selection} }} {Errors} }} }}", new { id, i = input });
        return payload[field]!;
    }

    /// <summary>The first user error of createX(input), which must be refused.</summary>
    public Task<UserError> CreateRefusedAsync(string typeName, object input) =>
        Admin.RefusedAsync($"mutation($i: Create{typeName}Input!) {{ create{typeName}(input: $i) {{ {Errors} }} }}", new { i = input });

    public Task<UserError> UpdateRefusedAsync(string typeName, string id, object input) =>
        Admin.RefusedAsync($"mutation($id: ID!, $i: Update{typeName}Input!) {{ update{typeName}(id: $id, input: $i) {{ {Errors} }} }}", new { id, i = input });

    public Task<UserError> DeleteRefusedAsync(string typeName, string id) =>
        Admin.RefusedAsync($"mutation($id: ID!) {{ delete{typeName}(id: $id) {{ {Errors} }} }}", new { id });

    public async Task DeleteAsync(string typeName, string id) =>
        await Admin.MutateAsync($"mutation($id: ID!) {{ delete{typeName}(id: $id) {{ {Errors} }} }}", new { id });

    /// <summary>One field of one record, read back: <c>record(id) { selection }</c>.</summary>
    public async Task<JsonNode> ReadAsync(string field, string id, string selection) =>
        (await Admin.QueryAsync($"query($id: ID!) {{ {field}(id: $id) {{ {selection} }} }}", new { id }))[field]!;

    public async Task<int> CountAsync(string plural, string filter = "") =>
        (await Admin.QueryAsync($"{{ {plural}{(filter.Length > 0 ? $"(filter: {filter})" : string.Empty)} {{ totalCount }} }}"))[plural]!["totalCount"]!.GetValue<int>();

    /// <summary>A campaign of <paramref name="type"/> in its first status, planned.</summary>
    public Task<string> CampaignAsync(string name, string type = "email", object? more = null) =>
        IdAsync("Campaign", Merge(new Dictionary<string, object?> { ["name"] = name, ["type"] = type }, more));

    /// <summary>A person added to a campaign with addCampaignMembers; the member's id.</summary>
    public async Task<string> MemberAsync(string campaignId, string kind, string personId)
    {
        var result = await Admin.MutateAsync(
            $"mutation($c: ID!, $ids: [ID!]) {{ addCampaignMembers(campaignId: $c, {kind}Ids: $ids) {{ result {{ added {{ id }} }} {Errors} }} }}",
            new { c = campaignId, ids = new[] { personId } });
        return result["result"]!["added"]![0]!["id"]!.GetValue<string>();
    }

    /// <summary>A member's response, now (or at <paramref name="at"/>).</summary>
    public Task RespondAsync(string memberId, DateTime? at = null) =>
        UpdateAsync("CampaignMember", memberId, at is { } when ? new { memberStatus = "responded", respondedAt = when } : new { memberStatus = "responded" });

    public async Task CostAsync(string campaignId, decimal amount, string description = "费用") =>
        await CreateAsync("CampaignCost", new { campaignId, description, amount = new { amount, currency = "CNY" } });

    private static Dictionary<string, object?> Merge(Dictionary<string, object?> values, object? more)
    {
        foreach (var property in more?.GetType().GetProperties() ?? [])
        {
            values[property.Name] = property.GetValue(more);
        }

        return values;
    }
}

/// <summary>Reading figures.</summary>
public static class Figures
{
    public static decimal Dec(this JsonNode? node) => node!.GetValue<decimal>();

    public static decimal? DecOrNull(this JsonNode? node) => node?.GetValue<decimal>();

    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    public static int Int(this JsonNode? node) => node!.GetValue<int>();

    public static decimal Amount(this JsonNode? money) => money!["amount"]!.GetValue<decimal>();
}
