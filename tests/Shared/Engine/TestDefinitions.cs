using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Testing;

/// <summary>Small builders for test entities and fields, with the en and zh-CN labels the engine requires.</summary>
public static class TestDefinitions
{
    public static EntityDefinition Entity(string name, params FieldDefinition[] fields) => new()
    {
        Name = name,
        PluralName = Naming.Pluralize(name),
        Labels = LocalizedText.Of(Naming.Humanize(name), name + "（中文）"),
        Fields = fields,
    };

    public static FieldDefinition Field(string name, FieldType type) => new()
    {
        Name = name,
        Type = type,
        Labels = LocalizedText.Of(Naming.Humanize(name), name + "（中文）"),
    };

    public static FieldDefinition Picklist(string name, params string[] values) => Field(name, FieldType.Picklist) with
    {
        Options = values.Select((v, i) => new PicklistOption { Value = v, Labels = LocalizedText.Of(v, v), Order = i }).ToList(),
    };

    public static FieldDefinition Lookup(string name, string target) => Field(name, FieldType.Lookup) with { LookupEntity = target };
}
