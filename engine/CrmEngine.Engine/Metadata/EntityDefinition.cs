using System.Text.Json.Serialization;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Metadata;

/// <summary>An entity: a kind of record with its own table, labels and fields. Immutable.</summary>
public sealed record EntityDefinition
{
    public required string Name { get; init; }

    public required string PluralName { get; init; }

    public required LocalizedText Labels { get; init; }

    public LocalizedText? PluralLabels { get; init; }

    public LocalizedText? Descriptions { get; init; }

    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];

    /// <summary>Composite indexes for the lists this entity serves most (single-field indexes are set on the field).</summary>
    public IReadOnlyList<IndexDefinition> Indexes { get; init; } = [];

    [JsonConverter(typeof(JsonStringEnumConverter<DefinitionState>))]
    public DefinitionState State { get; init; }

    public DateTime? RemovedAt { get; init; }

    public string Source { get; init; } = MetadataSources.Custom;

    [JsonIgnore]
    public bool IsActive => State == DefinitionState.Active;

    [JsonIgnore]
    public string TableName => Naming.ToSnakeCase(Name);

    [JsonIgnore]
    public string TypeName => Naming.ToPascalCase(Name);

    [JsonIgnore]
    public IEnumerable<FieldDefinition> ActiveFields => Fields.Where(f => f.IsActive);

    /// <summary>
    /// The field a record is known by where no caller picks one (the key order of groups keyed by a
    /// lookup to this entity): the text field called name, else the first required text or
    /// auto-number field, else the first one; null when there is none.
    /// </summary>
    [JsonIgnore]
    public FieldDefinition? DisplayField
    {
        get
        {
            var named = ActiveFields.Where(f => f.Type is FieldType.Text or FieldType.AutoNumber).ToList();
            return named.FirstOrDefault(f => f.Name == "name" && f.Type == FieldType.Text) ?? named.FirstOrDefault(f => f.Required) ?? named.FirstOrDefault();
        }
    }

    /// <summary>An active field by API name.</summary>
    public FieldDefinition? FindField(string name) => Fields.FirstOrDefault(f => f.IsActive && f.Name == name);

    /// <summary>A field by API name, removed or not.</summary>
    public FieldDefinition? FindAnyField(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public EntityDefinition WithField(FieldDefinition field)
    {
        var fields = Fields.Where(f => f.Name != field.Name).ToList();
        var index = Fields.ToList().FindIndex(f => f.Name == field.Name);
        fields.Insert(index < 0 ? fields.Count : index, field);
        return this with { Fields = fields };
    }

    public EntityDefinition WithoutField(string name) => this with { Fields = Fields.Where(f => f.Name != name).ToList() };
}
