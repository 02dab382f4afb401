using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Checks that need the database, run inside the write's transaction: lookups point at live
/// records, unique values are free. The database's own constraints back both up.
/// </summary>
internal static class WriteChecks
{
    public static async Task RunAsync(RecordChange change, TenantDbContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in change.Values)
        {
            if (change.Entity.FindField(name) is not { } field || field.Of().IsEmpty(value))
            {
                continue;
            }

            // A lookup the caller chose must point at a record the caller can see; one a hook or rule
            // chose needs only to exist.
            var callersChoice = change.Input.TryGetValue(name, out var input) && Equals(input, value);
            if (field.Type == FieldType.Lookup && value is Guid target && !await ExistsAsync(context, field.LookupEntity!, target, callersChoice ? change.Session : null, cancellationToken))
            {
                change.Errors.Add(new CrmError(ErrorCodes.LookupNotFound, $"'{name}' points to {field.LookupEntity} {target}, which does not exist.", name));
            }

            if (field.Unique && await TakenAsync(context, change, field, value, cancellationToken))
            {
                change.Errors.Add(new CrmError(ErrorCodes.UniqueViolation, $"Another {change.Entity.Name} already has {name} '{field.Of().FormatText(value)}'.", name));
            }
        }
    }

    private static async Task<bool> ExistsAsync(TenantDbContext context, string entity, Guid id, CrmSession? viewer, CancellationToken cancellationToken)
    {
        IQueryable<Dictionary<string, object>> records = context.Records(entity);
        if (viewer is not null)
        {
            if (!ReadAccess.CanReadAny(viewer.Permissions, entity))
            {
                return false;
            }

            records = ReadAccess.Apply(records, viewer.Permissions, entity);
        }

        return await records
            .Where(PredicateBuilder.ColumnEquals(RecordColumns.Id, typeof(Guid), id))
            .Where(RecordReader.NotDeleted())
            .AnyAsync(cancellationToken);
    }

    private static Task<bool> TakenAsync(TenantDbContext context, RecordChange change, FieldDefinition field, object? value, CancellationToken cancellationToken)
    {
        var row = new Dictionary<string, object?>();
        field.Of().Write(field, value, row);
        var self = change.RecordId;
        return context.Records(change.Entity.Name)
            .Where(PredicateBuilder.ColumnEquals(field.ColumnName, field.Of().Columns(field)[0].ClrType, row[field.ColumnName]))
            .Where(RecordReader.NotDeleted())
            .Where(r => EF.Property<Guid>(r, RecordColumns.Id) != self)
            .AnyAsync(cancellationToken);
    }
}
