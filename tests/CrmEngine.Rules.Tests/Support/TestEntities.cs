using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Rules.Tests.Support;

/// <summary>The rules tests' sample entities (the builders are <see cref="CrmEngine.Testing.TestDefinitions"/>).</summary>
public static class TestEntities
{
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
