using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Rules.Tests.Support;

/// <summary>Small builders for test entities, with the en and zh-CN labels the engine requires.</summary>
public static class TestEntities
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

    /// <summary>线索: a lead with a status, a score, a grade a rule can fill in, a budget and a follow-up date.</summary>
    public static EntityDefinition Lead() => Entity("lead",
        Field("name", FieldType.Text) with { Required = true, MaxLength = 50 },
        Field("company", FieldType.Text),
        Field("score", FieldType.Integer) with { Min = 0, Max = 100 },
        Field("grade", FieldType.Text),
        Field("budget", FieldType.Money) with { Currency = "CNY" },
        Picklist("status", "new", "qualified", "lost") with { DefaultValue = "new" },
        Field("counter", FieldType.Integer),
        Field("lastContactAt", FieldType.DateTime),
        Field("inPool", FieldType.Boolean));

    /// <summary>跟进记录: a follow-up task, created by rules.</summary>
    public static EntityDefinition FollowUp() => Entity("task",
        Field("title", FieldType.Text) with { Required = true },
        Field("leadName", FieldType.Text));
}
