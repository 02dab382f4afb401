using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Merging;

/// <summary>
/// Companies with their duplicates, and the records pointing at them, defined through the admin API:
/// company (name, unique email, city, a parent company), person (employer: a company) and deal, whose
/// lookup to company (supplier) is a custom field added after the entity was made.
/// </summary>
public sealed class MergeFixtures(TenantClient client)
{
    public const string Merge = """
        mutation($input: MergeRecordsInput!) {
          mergeRecords(input: $input) { mergeId undoUntil master { id ... on Company { name email city version } } userErrors { field code message } }
        }
        """;

    public const string Undo = """
        mutation($id: ID!) {
          undoMerge(mergeId: $id) {
            master { ... on Company { name email city } }
            restored { id }
            conflicts { entity recordId field reason }
            userErrors { field code message }
          }
        }
        """;

    public TenantClient Client { get; } = client;

    public static async Task<MergeFixtures> DefineAsync(TenantClient client)
    {
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "company",
                labels = Labels("Company", "公司"),
                fields = new[] { Field("name", "TEXT", new { required = true }), Field("email", "EMAIL", new { unique = true }), Field("city", "TEXT") },
            },
        });
        await client.MutateAsync(AddField, new { entity = "company", input = Field("parent", "LOOKUP", new { lookupEntity = "company" }) });
        await client.MutateAsync(CreateEntity, new
        {
            input = new { name = "person", labels = Labels("Person", "联系人"), fields = new[] { Field("name", "TEXT", new { required = true }), Field("employer", "LOOKUP", new { lookupEntity = "company" }) } },
        });
        await client.MutateAsync(CreateEntity, new { input = new { name = "deal", labels = Labels("Deal", "商机"), fields = new[] { Field("title", "TEXT", new { required = true }) } } });
        await client.MutateAsync(AddField, new { entity = "deal", input = Field("supplier", "LOOKUP", new { lookupEntity = "company" }) });
        return new MergeFixtures(client);
    }

    public async Task<string> CreateAsync(string entity, object input)
    {
        var type = char.ToUpperInvariant(entity[0]) + entity[1..];
        var payload = await Client.MutateAsync($"mutation($input: Create{type}Input!) {{ create{type}(input: $input) {{ {entity} {{ id }} userErrors {{ code message }} }} }}", new { input });
        return payload[entity]!["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> UpdateAsync(string entity, string id, object input)
    {
        var type = char.ToUpperInvariant(entity[0]) + entity[1..];
        return await Client.MutateAsync($"mutation($id: ID!, $input: Update{type}Input!) {{ update{type}(id: $id, input: $input) {{ {entity} {{ id version }} userErrors {{ code message }} }} }}", new { id, input });
    }

    /// <summary>A record as stored, deleted or not (null when there is none).</summary>
    public async Task<JsonNode?> ReadAsync(string entity, string id, string selection) =>
        (await Client.QueryAsync($"query($id: ID!) {{ {entity}(id: $id, deleted: true) {{ {selection} }} }}", new { id }))[entity];

    public async Task<JsonNode> MergeAsync(object input) => (await Client.QueryAsync(Merge, new { input }))["mergeRecords"]!;

    public async Task<JsonNode> UndoAsync(string mergeId) => (await Client.QueryAsync(Undo, new { id = mergeId }))["undoMerge"]!;

    public static string? Code(JsonNode payload) => payload["userErrors"]!.AsArray().FirstOrDefault()?["code"]?.GetValue<string>();
}
