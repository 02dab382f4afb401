using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Tests.Support;

/// <summary>The engine tests' sample entities (the builders are <see cref="CrmEngine.Testing.TestDefinitions"/>).</summary>
public static class Definitions
{
    /// <summary>A lead-like entity with a mix of field types.</summary>
    public static EntityDefinition Lead() => Entity("lead",
        Field("name", FieldType.Text) with { Required = true, MaxLength = 50 },
        Field("email", FieldType.Email) with { Unique = true },
        Field("score", FieldType.Integer) with { Min = 0, Max = 100 },
        Field("budget", FieldType.Money) with { Currency = "CNY" },
        Picklist("status", "new", "qualified", "lost") with { DefaultValue = "new" },
        Field("code", FieldType.AutoNumber) with { AutoNumberFormat = "L-{0000}" });
}
