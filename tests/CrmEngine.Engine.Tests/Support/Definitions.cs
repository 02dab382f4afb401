using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Tests.Support;

/// <summary>Small builders for test definitions, with the en and zh-CN labels the engine requires.</summary>
public static class Definitions
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

    /// <summary>A lead-like entity with a mix of field types.</summary>
    public static EntityDefinition Lead() => Entity("lead",
        Field("name", FieldType.Text) with { Required = true, MaxLength = 50 },
        Field("email", FieldType.Email) with { Unique = true },
        Field("score", FieldType.Integer) with { Min = 0, Max = 100 },
        Field("budget", FieldType.Money) with { Currency = "CNY" },
        Picklist("status", "new", "qualified", "lost") with { DefaultValue = "new" },
        Field("code", FieldType.AutoNumber) with { AutoNumberFormat = "L-{0000}" });
}
