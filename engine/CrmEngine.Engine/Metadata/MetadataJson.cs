using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmEngine.Engine.Metadata;

/// <summary>How definitions are stored: compact camelCase JSON without nulls.</summary>
public static class MetadataJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(EntityDefinition entity) => JsonSerializer.Serialize(entity, Options);

    public static EntityDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<EntityDefinition>(json, Options) ?? throw new InvalidOperationException("An entity definition row is empty.");
}
