using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// Everything every layer knows about one field type: its columns, how input is checked and
/// normalized, how stored values read back, how the API presents and filters it, whether records
/// sort, group and aggregate by it, and which types it may change to. One small class per type,
/// registered in <see cref="FieldKinds"/>; the other layers ask the kind instead of switching on
/// <see cref="FieldType"/> (the GraphQL layer maps <see cref="ApiValueType"/> and
/// <see cref="ApiFilterType"/> to its types once).
/// </summary>
public abstract class FieldKind
{
    protected static readonly AggregateFunction[] CountOnly = [AggregateFunction.CountDistinct];

    protected static readonly AggregateFunction[] Extremes = [AggregateFunction.CountDistinct, AggregateFunction.Min, AggregateFunction.Max];

    protected static readonly AggregateFunction[] AllAggregates = Enum.GetValues<AggregateFunction>();

    /// <summary>Types whose values are text that any of them may hold (format checks run on the change).</summary>
    protected static readonly FieldType[] Textual = [FieldType.Text, FieldType.LongText, FieldType.Email, FieldType.Phone, FieldType.Url, FieldType.Picklist];

    public abstract FieldType Type { get; }

    /// <summary>The nullable CLR type of the main column.</summary>
    protected abstract Type StorageType { get; }

    /// <summary>How the API reads and writes the field's values.</summary>
    public virtual ApiValueType ApiType => ApiValueType.String;

    /// <summary>The API type of the field's smallest and largest values.</summary>
    public virtual ApiValueType ExtremeType => ApiType;

    /// <summary>The API's filter input for the field; its operators are the ones the engine enforces.</summary>
    public virtual ApiFilterType FilterType => ApiFilterType.String;

    public IReadOnlyList<ComparisonOperator> Operators => FilterOperators.Of(FilterType);

    /// <summary>Whole values compare: records can be ordered by the field and an index can hold it.</summary>
    public virtual bool IsSortable => true;

    public virtual bool IsGroupable => IsSortable;

    /// <summary>The aggregate functions that apply to the field.</summary>
    public virtual IReadOnlyList<AggregateFunction> Aggregates => IsSortable ? CountOnly : [];

    /// <summary>Holds a number: min and max constrain it.</summary>
    public virtual bool IsNumeric => false;

    /// <summary>The definition's min and max apply (numbers; counts for kinds that hold several items).</summary>
    public virtual bool TakesRange => IsNumeric;

    /// <summary>The types a field of this kind may change to, keeping its data (each value converts through its text form).</summary>
    public virtual IReadOnlyCollection<FieldType> ConvertsTo => [];

    /// <summary>False for values the engine assigns (auto-numbers).</summary>
    public virtual bool IsWritable => true;

    public virtual bool SupportsUnique => true;

    public virtual bool SupportsDefault => IsWritable;

    public virtual IReadOnlyList<StorageColumn> Columns(FieldDefinition field) => [new(field.ColumnName, StorageType)];

    /// <summary>The names this field occupies on its entity's GraphQL type.</summary>
    public virtual IEnumerable<string> MemberNames(FieldDefinition field) => [field.Name];

    /// <summary>Checks the type-specific parts of a definition (options, formats, targets).</summary>
    public virtual IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot) => [];

    /// <summary>Converts a non-null input to the field's API value and checks its constraints.</summary>
    public abstract FieldValue Normalize(FieldDefinition field, object input);

    public virtual void Write(FieldDefinition field, object? value, IDictionary<string, object?> row) => row[field.ColumnName] = value;

    public virtual object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) => row.GetValueOrDefault(field.ColumnName);

    public virtual bool IsEmpty(object? value) => value is null || (value is string s && s.Length == 0);

    /// <summary>Equality of two API values, for change detection.</summary>
    public virtual bool AreEqual(object? a, object? b) => Equals(a, b);

    /// <summary>The canonical text of a value: how defaults are written and type changes read data.</summary>
    public virtual string? FormatText(object? value) => LooseConvert.AsText(value);

    protected static FieldValue Invalid(FieldDefinition field, string expected) =>
        FieldValue.Fail(ErrorCodes.InvalidValue, $"Field '{field.Name}' expects {expected}.", field.Name);

    protected static FieldValue CheckRange(FieldDefinition field, decimal number, object value)
    {
        if (field.Min is { } min && number < min)
        {
            return FieldValue.Fail(ErrorCodes.OutOfRange, $"Field '{field.Name}' must be at least {min}.", field.Name);
        }

        if (field.Max is { } max && number > max)
        {
            return FieldValue.Fail(ErrorCodes.OutOfRange, $"Field '{field.Name}' must be at most {max}.", field.Name);
        }

        return FieldValue.Ok(value);
    }

    protected static FieldValue CheckScale(FieldDefinition field, decimal number)
    {
        if (field.Scale is { } scale && decimal.Round(number, scale) != number)
        {
            return FieldValue.Fail(ErrorCodes.InvalidValue, $"Field '{field.Name}' allows at most {scale} decimal places.", field.Name);
        }

        return FieldValue.Ok(number);
    }
}
