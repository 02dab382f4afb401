using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Something a query can filter or sort on: a field's main column or a system column, with the
/// function that turns an operand in API form into the stored form.
/// </summary>
public sealed record QueryColumn(string Name, string Column, Type ClrType, FieldDefinition? Field)
{
    /// <summary>The filter operators this column supports.</summary>
    public IReadOnlyList<ComparisonOperator> Operators => Field is null ? FilterOperators.ForClrType(ClrType) : Field.Of().Operators;

    public bool IsNullable => !ClrType.IsValueType || Nullable.GetUnderlyingType(ClrType) is not null;

    private static readonly Dictionary<string, (string Column, Type Type)> SystemColumns = new(StringComparer.Ordinal)
    {
        [SystemFields.Id] = (RecordColumns.Id, typeof(Guid)),
        [SystemFields.CreatedAt] = (RecordColumns.CreatedAt, typeof(DateTime)),
        [SystemFields.UpdatedAt] = (RecordColumns.UpdatedAt, typeof(DateTime)),
        [SystemFields.CreatedBy] = (RecordColumns.CreatedBy, typeof(Guid?)),
        [SystemFields.UpdatedBy] = (RecordColumns.UpdatedBy, typeof(Guid?)),
        [SystemFields.OwnerId] = (RecordColumns.OwnerId, typeof(Guid?)),
        [SystemFields.Version] = (RecordColumns.Version, typeof(long)),
        [SystemFields.DeletedAt] = (RecordColumns.DeletedAt, typeof(DateTime?)),
    };

    /// <summary>The column of a system field (<see cref="SystemFields"/>), or null for other names.</summary>
    public static string? SystemColumn(string name) => SystemColumns.TryGetValue(name, out var system) ? system.Column : null;

    /// <summary>Whether <paramref name="function"/> applies to this column: as its field kind says, and for system fields distinct counts and the extremes of instants.</summary>
    public bool Allows(AggregateFunction function)
    {
        var core = Nullable.GetUnderlyingType(ClrType) ?? ClrType;
        return Field is { } field
            ? field.Of().Aggregates.Contains(function)
            : function is AggregateFunction.CountDistinct || (function is AggregateFunction.Min or AggregateFunction.Max && core == typeof(DateTime));
    }

    public static QueryColumn Resolve(EntityDefinition entity, string name)
    {
        if (SystemColumns.TryGetValue(name, out var system))
        {
            return new QueryColumn(name, system.Column, system.Type, null);
        }

        var field = entity.FindField(name)
            ?? throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{name}'.", name);
        return new QueryColumn(name, field.ColumnName, field.Of().Columns(field)[0].ClrType, field);
    }

    /// <summary>The operand as stored in <see cref="Column"/>, checked against the field's type.</summary>
    public object? ToStored(object? operand)
    {
        if (operand is null)
        {
            return null;
        }

        if (Field is null)
        {
            return SystemOperand(operand);
        }

        var kind = Field.Of();
        // Constraints guard writes, not reads: a filter may look for values no longer allowed.
        var relaxed = Field with { MaxLength = null, Pattern = null, Min = null, Max = null, Options = Field.Options?.Select(o => o with { Active = true }).ToList() };
        var value = kind.Normalize(relaxed, operand);
        if (!value.IsOk)
        {
            throw new CrmException(value.Error!);
        }

        if (Field.Type == FieldType.Money && value.Value is Money money)
        {
            return money.Amount;
        }

        var row = new Dictionary<string, object?>();
        kind.Write(Field, value.Value, row);
        return row[Column];
    }

    private object SystemOperand(object operand)
    {
        var ok = ClrType == typeof(DateTime) || ClrType == typeof(DateTime?)
            ? LooseConvert.TryDateTime(operand, out var instant) ? (object)instant : null
            : ClrType == typeof(long)
                ? LooseConvert.TryLong(operand, out var number) ? number : null
                : LooseConvert.TryGuid(operand, out var id) ? id : null;
        return ok ?? throw new CrmException(ErrorCodes.InvalidValue, $"'{operand}' is not a valid value for '{Name}'.", Name);
    }
}
