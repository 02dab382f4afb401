using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>Small GraphQL helpers for the sales tests: create records, read ids and figures.</summary>
public static class Gql
{
    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();

    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    public static string Iso(DateTime instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>createX(input) returning the record (with <paramref name="selection"/>); asserts no userErrors.</summary>
    public static async Task<JsonNode> CreateAsync(this GraphQLClient client, string typeName, object input, string selection = "id")
    {
        var field = char.ToLowerInvariant(typeName[0]) + typeName[1..];
        var payload = await client.MutateAsync($"mutation($i: Create{typeName}Input!) {{ create{typeName}(input: $i) {{ {field} {{ {selection} }} userErrors {{ field code message }} }} }}", new { i = input });
        return payload[field]!;
    }

    public static async Task<JsonNode> UpdateAsync(this GraphQLClient client, string typeName, string id, object input, string selection = "id")
    {
        var field = char.ToLowerInvariant(typeName[0]) + typeName[1..];
        var payload = await client.MutateAsync($"mutation($id: ID!, $i: Update{typeName}Input!) {{ update{typeName}(id: $id, input: $i) {{ {field} {{ {selection} }} userErrors {{ field code message }} }} }}", new { id, i = input });
        return payload[field]!;
    }

    /// <summary>A plugin mutation's result; asserts no userErrors.</summary>
    public static async Task<JsonNode> RunAsync(this GraphQLClient client, string mutation, object? variables = null) =>
        (await client.MutateAsync(mutation, variables))["result"]!;
}
