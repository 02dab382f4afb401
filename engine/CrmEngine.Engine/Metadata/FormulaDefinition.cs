using System.Text.Json.Serialization;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// The definition of a formula field: an <see cref="Expression"/> over the record's fields and, one
/// lookup away, the fields of the records it points at. <see cref="ResultType"/> is inferred when the
/// field is added; decimal results keep the field's <c>scale</c> (6 when it has none).
/// </summary>
public sealed record FormulaDefinition
{
    public required string Expression { get; init; }

    /// <summary>The type of the stored value: Integer, Decimal, Text, Boolean, Date or DateTime.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
    public FieldType ResultType { get; init; } = FieldType.Decimal;
}
