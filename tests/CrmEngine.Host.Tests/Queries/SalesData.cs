using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Queries;

/// <summary>
/// A small sales tenant for query tests: accounts (with an industry picklist and tags) and contacts
/// pointing at them, with numbers, money, dates and a status, created through the API.
/// </summary>
public static class SalesData
{
    public static object Options(params string[] values) => values.Select(v => new { value = v, labels = Labels(v, v) }).ToArray();

    public static async Task DefineAsync(TenantClient client)
    {
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "account",
                labels = Labels("Account", "客户"),
                fields = new[]
                {
                    Field("name", "TEXT", new { required = true, searchable = true }),
                    Field("industry", "PICKLIST", new { indexed = true, options = Options("telecom", "retail", "finance") }),
                    Field("tags", "MULTI_PICKLIST", new { options = Options("vip", "partner", "new") }),
                    Field("revenue", "DECIMAL"),
                },
            },
        });
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "contact",
                labels = Labels("Contact", "联系人"),
                fields = new[]
                {
                    Field("name", "TEXT", new { required = true, searchable = true }),
                    Field("email", "EMAIL", new { searchable = true }),
                    Field("score", "INTEGER"),
                    Field("budget", "MONEY", new { currency = "CNY" }),
                    Field("lastContactedAt", "DATE_TIME", new { indexed = true }),
                    Field("nextCallOn", "DATE"),
                    Field("active", "BOOLEAN"),
                    Field("status", "PICKLIST", new { indexed = true, defaultValue = "new", options = Options("new", "won", "lost") }),
                    Field("account", "LOOKUP", new { lookupEntity = "account" }),
                },
            },
        });
    }

    public static async Task<string> AccountAsync(TenantClient client, string name, string industry, string[]? tags = null, decimal? revenue = null)
    {
        var payload = await client.MutateAsync(
            "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { code message } } }",
            new { input = new { name, industry, tags = tags ?? [], revenue } });
        return payload["account"]!["id"]!.GetValue<string>();
    }

    public static async Task<string> ContactAsync(TenantClient client, string name, object? extra = null)
    {
        var input = new JsonObject { ["name"] = name };
        if (extra is not null)
        {
            foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                input[key] = value?.DeepClone();
            }
        }

        var payload = await client.MutateAsync(
            "mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { code message } } }",
            new { input });
        return payload["contact"]!["id"]!.GetValue<string>();
    }

    public static List<string> Names(JsonNode connection) =>
        connection["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).ToList();
}
