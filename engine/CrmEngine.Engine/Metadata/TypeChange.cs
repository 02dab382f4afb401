using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// Changing a field's type keeps its data: every existing value is converted through its text form
/// and checked against the new type before anything changes; one value that won't convert refuses
/// the whole change. Conversions that can't be made safe are refused outright.
/// </summary>
internal static class TypeChange
{
    /// <summary>Each kind names the types it converts to (<see cref="FieldKind.ConvertsTo"/>).</summary>
    public static bool IsSupported(FieldType from, FieldType to) => FieldKinds.For(from).ConvertsTo.Contains(to);

    /// <summary>
    /// Settings of the old type that mean nothing for the new one (a text maxLength on an integer,
    /// say) are dropped rather than making the admin clear them first.
    /// </summary>
    public static FieldDefinition DropInapplicableSettings(FieldDefinition field)
    {
        var isText = field.Of() is TextKindBase;
        var isNumber = field.Of().IsNumeric;
        var isPicklist = field.Type is FieldType.Picklist or FieldType.MultiPicklist;
        return field with
        {
            MaxLength = isText ? field.MaxLength : null,
            Pattern = isText ? field.Pattern : null,
            Min = isNumber ? field.Min : null,
            Max = isNumber ? field.Max : null,
            Scale = field.Type is FieldType.Decimal or FieldType.Money ? field.Scale : null,
            Currency = field.Type == FieldType.Money ? field.Currency : null,
            Options = isPicklist ? field.Options : null,
            Unique = field.Unique && field.Of().SupportsUnique,
        };
    }

    public static MetadataChange Plan(MetadataChange plan, string entity, FieldDefinition before, FieldDefinition after, CancellationToken cancellationToken)
    {
        if (!IsSupported(before.Type, after.Type))
        {
            throw new CrmException(ErrorCodes.UnsafeChange,
                $"Changing '{entity}.{before.Name}' from {before.Type} to {after.Type} is not supported; add a new field and copy the data instead.", "type");
        }

        var converted = new List<(Guid Id, object Value)>();
        return plan with
        {
            Before = async context =>
            {
                converted.AddRange(await ConvertAllAsync(context, entity, before, after, cancellationToken));
                var oldColumn = before.Of().Columns(before)[0];
                await ColumnUpdates.SetAsync(context, entity, oldColumn.Name, oldColumn.ClrType, null, null, cancellationToken);
            },
            After = async context =>
            {
                var kind = after.Of();
                var row = new Dictionary<string, object?>();
                foreach (var (id, value) in converted)
                {
                    kind.Write(after, value, row);
                    foreach (var column in kind.Columns(after))
                    {
                        await ColumnUpdates.SetAsync(context, entity, column.Name, column.ClrType, row[column.Name], id, cancellationToken);
                    }
                }
            },
        };
    }

    private static async Task<List<(Guid Id, object Value)>> ConvertAllAsync(TenantDbContext context, string entity, FieldDefinition before, FieldDefinition after, CancellationToken cancellationToken)
    {
        var oldKind = before.Of();
        var newKind = after.Of();
        var result = new List<(Guid, object)>();
        var failures = 0;
        string? example = null;
        await foreach (var row in context.Records(entity).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var value = oldKind.Read(before, row!);
            if (oldKind.IsEmpty(value))
            {
                continue;
            }

            var text = oldKind.FormatText(value)!;
            var outcome = newKind.Normalize(after, MetadataValidator.ParseDefault(after, text));
            if (outcome.IsOk)
            {
                result.Add(((Guid)row[RecordColumns.Id], outcome.Value!));
            }
            else
            {
                failures++;
                example ??= $"record {row[RecordColumns.Id]} has '{text}'";
            }
        }

        if (failures > 0)
        {
            throw new CrmException(ErrorCodes.UnsafeChange,
                $"{failures} record(s) of '{entity}' hold values of '{before.Name}' that are not valid {after.Type} (for example, {example}); nothing was changed.", "type");
        }

        return result;
    }
}

/// <summary>Refuses dropping picklist options that records still use: deactivate them instead.</summary>
internal static class OptionUsage
{
    public static async Task EnsureUnusedAsync(TenantDbContext context, string entity, FieldDefinition field, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        foreach (var value in values)
        {
            var column = field.ColumnName;
            var stored = field.Type == FieldType.MultiPicklist ? "|" + value + "|" : value;
            var query = context.Records(entity).AsQueryable();
            query = field.Type == FieldType.MultiPicklist
                ? query.Where(r => EF.Property<string>(r, column).Contains(stored))
                : query.Where(r => EF.Property<string>(r, column) == stored);
            var count = await query.CountAsync(cancellationToken);
            if (count > 0)
            {
                throw new CrmException(ErrorCodes.UnsafeChange,
                    $"Option '{value}' of '{entity}.{field.Name}' is used by {count} record(s); set it inactive instead of removing it.", "options");
            }
        }
    }
}
