using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Fields;

public sealed class IntegerKind : FieldKind
{
    public override FieldType Type => FieldType.Integer;

    protected override Type StorageType => typeof(long?);

    public override ApiValueType ApiType => ApiValueType.Long;

    public override ApiFilterType FilterType => ApiFilterType.Long;

    public override bool IsNumeric => true;

    public override IReadOnlyList<AggregateFunction> Aggregates => AllAggregates;

    public override IReadOnlyCollection<FieldType> ConvertsTo => [FieldType.Decimal, FieldType.Text, FieldType.LongText];

    public override FieldValue Normalize(FieldDefinition field, object input) =>
        LooseConvert.TryLong(input, out var number) ? CheckRange(field, number, number) : Invalid(field, "a whole number");
}

public sealed class DecimalKind : FieldKind
{
    public override FieldType Type => FieldType.Decimal;

    protected override Type StorageType => typeof(decimal?);

    public override ApiValueType ApiType => ApiValueType.Decimal;

    public override ApiFilterType FilterType => ApiFilterType.Decimal;

    public override bool IsNumeric => true;

    public override IReadOnlyList<AggregateFunction> Aggregates => AllAggregates;

    public override IReadOnlyCollection<FieldType> ConvertsTo => [FieldType.Text, FieldType.LongText];

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot) =>
        NumberRules.ValidateScale(field);

    public override FieldValue Normalize(FieldDefinition field, object input)
    {
        if (!LooseConvert.TryDecimal(input, out var number))
        {
            return Invalid(field, "a number");
        }

        var scaled = CheckScale(field, number);
        return scaled.IsOk ? CheckRange(field, number, number) : scaled;
    }

    public override object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) =>
        row.GetValueOrDefault(field.ColumnName) is decimal number ? LooseConvert.Canonical(number) : null;
}

internal static class NumberRules
{
    public const int MaxScale = 10;

    public static IEnumerable<CrmError> ValidateScale(FieldDefinition field)
    {
        if (field.Scale is < 0 or > MaxScale)
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"scale of '{field.Name}' must be between 0 and {MaxScale}.", "scale");
        }

        if (field.Min is { } min && field.Max is { } max && min > max)
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"min of '{field.Name}' is greater than its max.", "min");
        }
    }
}

public sealed class BooleanKind : FieldKind
{
    public override FieldType Type => FieldType.Boolean;

    protected override Type StorageType => typeof(bool?);

    public override ApiValueType ApiType => ApiValueType.Boolean;

    public override ApiFilterType FilterType => ApiFilterType.Boolean;

    public override IReadOnlyCollection<FieldType> ConvertsTo => [FieldType.Text, FieldType.LongText];

    public override bool SupportsUnique => false;

    public override FieldValue Normalize(FieldDefinition field, object input) =>
        LooseConvert.TryBool(input, out var value) ? FieldValue.Ok(value) : Invalid(field, "true or false");
}
