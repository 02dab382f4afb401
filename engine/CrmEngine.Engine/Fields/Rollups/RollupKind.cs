using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields.Rollups;

/// <summary>
/// A rollup field: a real column the engine keeps equal to a count, sum, minimum, maximum or average
/// over the records pointing at the record (<see cref="RollupMaintainer"/>). One instance per result
/// type (<see cref="For"/>).
/// </summary>
public sealed class RollupKind : ComputedKind
{
    private static readonly Dictionary<FieldType, RollupKind> ByResult = new[] { FieldType.Integer, FieldType.Decimal, FieldType.Date, FieldType.DateTime }
        .ToDictionary(t => t, t => new RollupKind(t));

    private RollupKind(FieldType result)
        : base(result)
    {
    }

    /// <summary>The kind of a rollup whose values are of type <paramref name="result"/> (decimal for anything else).</summary>
    public static RollupKind For(FieldType? result) => ByResult.GetValueOrDefault(result ?? FieldType.Decimal) ?? ByResult[FieldType.Decimal];

    public override FieldType Type => FieldType.Rollup;

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot) => RollupDefinitions.Validate(field, snapshot);

    /// <summary>A new record has no children yet: its COUNT and SUM start at 0 (the others have no value).</summary>
    public override void Write(FieldDefinition field, object? value, IDictionary<string, object?> row) =>
        row[field.ColumnName] = value ?? (field.Rollup?.Function is RollupFunction.Count or RollupFunction.Sum ? Zero : null);

    /// <summary>The value of a COUNT or SUM over no records, as stored.</summary>
    public object Zero => ResultType == FieldType.Integer ? (object)0L : 0m;
}
