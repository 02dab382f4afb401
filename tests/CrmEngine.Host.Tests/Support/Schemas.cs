using System.Text.Json.Nodes;

namespace CrmEngine.Host.Tests.Support;

/// <summary>Entities the functional tests define through the admin API, as an integrator would.</summary>
public static class Schemas
{
    public const string CreateEntity = """
        mutation($input: CreateEntityInput!) {
          createEntity(input: $input) { entity { name } metadataVersion userErrors { field code message } }
        }
        """;

    public const string AddField = """
        mutation($entity: String!, $input: FieldInput!) {
          addField(entity: $entity, input: $input) { field { name } metadataVersion userErrors { field code message } }
        }
        """;

    public static object Labels(string en, string zh) => new[] { new { locale = "en", text = en }, new { locale = "zh-CN", text = zh } };

    public static object Field(string name, string type, object? extra = null)
    {
        var field = new JsonObject { ["name"] = name, ["type"] = type, ["labels"] = JsonSerializerNode(Labels(name, name + "（中文）")) };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializerNode(extra)!.AsObject())
            {
                field[key] = value?.DeepClone();
            }
        }

        return field;
    }

    /// <summary>account, and project with most field types and a lookup to account.</summary>
    public static async Task DefineProjectsAsync(TenantClient client)
    {
        await client.MutateAsync(CreateEntity, new { input = new { name = "account", labels = Labels("Account", "客户"), fields = new[] { Field("name", "TEXT", new { required = true }) } } });
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "project",
                labels = Labels("Project", "项目"),
                fields = new[]
                {
                    Field("title", "TEXT", new { required = true, maxLength = 20 }),
                    Field("code", "AUTO_NUMBER", new { autoNumberFormat = "PRJ-{0000}" }),
                    Field("contactEmail", "EMAIL", new { unique = true }),
                    Field("budget", "MONEY", new { currency = "CNY" }),
                    Field("headcount", "INTEGER", new { min = 0 }),
                    Field("startsOn", "DATE"),
                    Field("active", "BOOLEAN"),
                    Field("status", "PICKLIST", new { defaultValue = "planned", options = new[] { new { value = "planned", labels = Labels("Planned", "计划中") }, new { value = "running", labels = Labels("Running", "进行中") } } }),
                    Field("account", "LOOKUP", new { lookupEntity = "account" }),
                },
            },
        });
    }

    private static JsonNode? JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value);
}
