using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// Everything the engine knows about one field type: its columns, how input is checked and
/// normalized, and how stored values read back. One small class per type; the GraphQL layer keeps
/// its own parallel registry for the API side.
/// </summary>
public abstract class FieldKind
{
    public abstract FieldType Type { get; }

    /// <summary>The nullable CLR type of the main column.</summary>
    protected abstract Type StorageType { get; }

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
