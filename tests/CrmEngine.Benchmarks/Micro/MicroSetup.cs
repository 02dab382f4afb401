using CrmEngine.Engine;
using CrmEngine.Engine.Metadata;
using CrmEngine.GraphQL;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Benchmarks.Micro;

/// <summary>The engine's services over a throwaway data directory, and a tenant-sized metadata snapshot.</summary>
internal static class MicroSetup
{
    public static ServiceProvider Services()
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-micro", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<CrmEngineOptions>().Configure(o => o.DataDirectory = directory);
        services.AddCrmEngineCore(directory);
        services.AddCrmSqlite();
        services.AddCrmGraphQL();
        return services.BuildServiceProvider();
    }

    /// <summary><paramref name="entities"/> entities of 20 fields each (every field type), each with a lookup to the one before.</summary>
    public static MetadataSnapshot Snapshot(int entities)
    {
        static FieldDefinition Field(string name, FieldType type) => new() { Name = name, Type = type, Labels = LocalizedText.Of(name, name) };
        var options = new[] { "a", "b", "c" }.Select((v, i) => new PicklistOption { Value = v, Labels = LocalizedText.Of(v, v), Order = i }).ToList();
        var list = new List<EntityDefinition>();
        for (var e = 0; e < entities; e++)
        {
            var fields = new List<FieldDefinition>
            {
                Field("name", FieldType.Text) with { Searchable = true }, Field("notes", FieldType.LongText), Field("count", FieldType.Integer),
                Field("ratio", FieldType.Decimal), Field("amount", FieldType.Money) with { Currency = "CNY" }, Field("active", FieldType.Boolean),
                Field("startsOn", FieldType.Date), Field("seenAt", FieldType.DateTime), Field("email", FieldType.Email), Field("phone", FieldType.Phone),
                Field("site", FieldType.Url), Field("status", FieldType.Picklist) with { Options = options, Indexed = true },
                Field("tags", FieldType.MultiPicklist) with { Options = options }, Field("code", FieldType.AutoNumber) with { AutoNumberFormat = "X-{0000}" },
            };
            for (var extra = fields.Count; extra < 19; extra++)
            {
                fields.Add(Field("text" + extra, FieldType.Text));
            }

            if (e > 0)
            {
                fields.Add(Field("parent", FieldType.Lookup) with { LookupEntity = "entity" + (e - 1), InverseName = "children" + e });
            }

            list.Add(new EntityDefinition { Name = "entity" + e, PluralName = "entities" + e, Labels = LocalizedText.Of("Entity " + e, "实体" + e), Fields = fields });
        }

        return new MetadataSnapshot(1, list);
    }
}
