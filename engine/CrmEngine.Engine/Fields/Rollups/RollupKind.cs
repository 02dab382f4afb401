using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Fields.Rollups;

/// <summary>
/// A rollup field: a real column the engine keeps equal to a count, sum, minimum, maximum or average
/// over the records pointing at the record (<see cref="RollupMaintainer"/>). Read-only to callers; it
/// reads, filters, sorts and aggregates as its result type does, so it is one instance per result type
/// (<see cref="For"/>), which <c>field.Of()</c> picks from the definition.
/// </summary>
public sealed class RollupKind : FieldKind
{
    private static readonly Dictionary<FieldType, RollupKind> ByResult = new[] { FieldType.Integer, FieldType.Decimal, FieldType.Date, FieldType.DateTime }
        .ToDictionary(t => t, t => new RollupKind(t));

    private readonly FieldKind _result;

    private RollupKind(FieldType result)
    {
        ResultType = result;
        _result = FieldKinds.For(result);
    }

    /// <summary>The kind of a rollup whose values are of type <paramref name="result"/> (decimal for anything else).</summary>
    public static RollupKind For(FieldType? result) => ByResult.GetValueOrDefault(result ?? FieldType.Decimal) ?? ByResult[FieldType.Decimal];

    public FieldType ResultType { get; }

    public override FieldType Type => FieldType.Rollup;

    protected override Type StorageType => ResultType switch
    {
        FieldType.Integer => typeof(long?),
        FieldType.Date => typeof(DateOnly?),
        FieldType.DateTime => typeof(DateTime?),
        _ => typeof(decimal?),
    };

    public override ApiValueType ApiType => _result.ApiType;

    public override ApiValueType ExtremeType => _result.ExtremeType;

    public override ApiFilterType FilterType => _result.FilterType;

    public override bool IsSortable => _result.IsSortable;

    public override IReadOnlyList<AggregateFunction> Aggregates => _result.Aggregates;

    public override bool IsWritable => false;

    public override bool SupportsUnique => false;

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot) => RollupDefinitions.Validate(field, snapshot);

    /// <summary>Filter operands and the values the maintainer computes are checked as the result type checks them.</summary>
    public override FieldValue Normalize(FieldDefinition field, object input) => _result.Normalize(field, input);

    /// <summary>A new record has no children yet: its COUNT and SUM start at 0 (the others have no value).</summary>
    public override void Write(FieldDefinition field, object? value, IDictionary<string, object?> row) =>
        row[field.ColumnName] = value ?? (field.Rollup?.Function is RollupFunction.Count or RollupFunction.Sum ? Zero : null);

    /// <summary>The value of a COUNT or SUM over no records, as stored.</summary>
    public object Zero => ResultType == FieldType.Integer ? (object)0L : 0m;

    public override object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) => _result.Read(field, row);

    public override bool AreEqual(object? a, object? b) => _result.AreEqual(a, b);

    public override string? FormatText(object? value) => _result.FormatText(value);
}
