using System.Text.Json.Serialization;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Metadata;

/// <summary>A field of an entity: its type, labels and constraints. Immutable; change with <c>with</c>.</summary>
public sealed record FieldDefinition
{
    public required string Name { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
    public required FieldType Type { get; init; }

    public required LocalizedText Labels { get; init; }

    public LocalizedText? Descriptions { get; init; }

    public bool Required { get; init; }

    public bool Unique { get; init; }

    public bool Indexed { get; init; }

    public bool Searchable { get; init; }

    /// <summary>The default for new records, in the field's canonical text form ("42", "true", "2025-01-31", an option value).</summary>
    public string? DefaultValue { get; init; }

    public int? MaxLength { get; init; }

    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    /// <summary>A .NET regular expression text values must match (evaluated with a timeout).</summary>
    public string? Pattern { get; init; }

    /// <summary>Decimal places allowed for decimal and money fields.</summary>
    public int? Scale { get; init; }

    /// <summary>The default ISO 4217 currency of a money field.</summary>
    public string? Currency { get; init; }

    public IReadOnlyList<PicklistOption>? Options { get; init; }

    /// <summary>The entity a lookup points to.</summary>
    public string? LookupEntity { get; init; }

    /// <summary>The name of the one-to-many list the lookup adds to its target entity.</summary>
    public string? InverseName { get; init; }

    public LocalizedText? InverseLabels { get; init; }

    /// <summary>The auto-number format, for example <c>QUO-{000000}</c> or <c>CASE-{yyyy}-{0000}</c>.</summary>
    public string? AutoNumberFormat { get; init; }

    /// <summary>What a rollup field computes (<see cref="FieldType.Rollup"/> only).</summary>
    public RollupDefinition? Rollup { get; init; }

    /// <summary>What a formula field computes (<see cref="FieldType.Formula"/> only).</summary>
    public FormulaDefinition? Formula { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<DefinitionState>))]
    public DefinitionState State { get; init; }

    public DateTime? RemovedAt { get; init; }

    /// <summary>Who declared the field: "custom" for tenant admins, or a plugin id.</summary>
    public string Source { get; init; } = MetadataSources.Custom;

    [JsonIgnore]
    public bool IsActive => State == DefinitionState.Active;

    /// <summary>The database column (for money the amount column; the currency column adds "_currency").</summary>
    [JsonIgnore]
    public string ColumnName => Type == FieldType.Lookup ? Naming.ToSnakeCase(Name) + "_id" : Naming.ToSnakeCase(Name);
}
