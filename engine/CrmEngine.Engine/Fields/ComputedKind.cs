using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// A field whose value the engine computes and keeps in a real column (rollups, formulas): read-only
/// to callers, it reads, filters, sorts, groups and aggregates as its result type does, so there is
/// one instance per result type, which <c>field.Of()</c> picks from the definition.
/// </summary>
public abstract class ComputedKind : FieldKind
{
    private readonly FieldKind _result;

    protected ComputedKind(FieldType result)
    {
        ResultType = result;
        _result = FieldKinds.For(result);
    }

    /// <summary>The type of the computed values.</summary>
    public FieldType ResultType { get; }

    protected override Type StorageType => ResultType switch
    {
        FieldType.Integer => typeof(long?),
        FieldType.Date => typeof(DateOnly?),
        FieldType.DateTime => typeof(DateTime?),
        FieldType.Boolean => typeof(bool?),
        FieldType.Text => typeof(string),
        _ => typeof(decimal?),
    };

    public override ApiValueType ApiType => _result.ApiType;

    public override ApiValueType ExtremeType => _result.ExtremeType;

    public override ApiFilterType FilterType => _result.FilterType;

    public override bool IsSortable => _result.IsSortable;

    public override bool IsGroupable => _result.IsGroupable;

    public override IReadOnlyList<AggregateFunction> Aggregates => _result.Aggregates;

    public override bool IsWritable => false;

    public override bool SupportsUnique => false;

    /// <summary>Filter operands and the computed values are checked as the result type checks them.</summary>
    public override FieldValue Normalize(FieldDefinition field, object input) => _result.Normalize(field, input);

    /// <summary>Stores a value as the result type does (the computed values, and filter operands turned into stored values).</summary>
    public override void Write(FieldDefinition field, object? value, IDictionary<string, object?> row) => _result.Write(field, value, row);

    public override object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) => _result.Read(field, row);

    public override bool AreEqual(object? a, object? b) => _result.AreEqual(a, b);

    public override string? FormatText(object? value) => _result.FormatText(value);
}
