using System.Text.Json.Serialization;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Metadata;

/// <summary>What a rollup field computes over the records of its inverse list.</summary>
public enum RollupFunction
{
    /// <summary>How many records.</summary>
    Count,

    Sum,

    Min,

    Max,

    Avg,
}

/// <summary>
/// The definition of a rollup field: a <see cref="Function"/> over the live records of
/// <see cref="Entity"/> whose lookup <see cref="Lookup"/> points at the record, optionally only those
/// matching <see cref="Filter"/> (JSON in the list queries' <c>where</c> shape, on the child's own
/// fields). <see cref="ResultType"/> is derived when the field is added.
/// </summary>
public sealed record RollupDefinition
{
    [JsonConverter(typeof(JsonStringEnumConverter<RollupFunction>))]
    public required RollupFunction Function { get; init; }

    /// <summary>The child entity.</summary>
    public required string Entity { get; init; }

    /// <summary>The child's lookup to the rollup's entity.</summary>
    public required string Lookup { get; init; }

    /// <summary>The child field aggregated; none for <see cref="RollupFunction.Count"/>.</summary>
    public string? Field { get; init; }

    /// <summary>Which children count, as JSON such as <c>{"status":{"eq":"paid"}}</c>; null for all.</summary>
    public string? Filter { get; init; }

    /// <summary>The type of the stored value: Integer, Decimal, Date or DateTime.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
    public FieldType ResultType { get; init; } = FieldType.Decimal;
}
