using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The storage row a write works on: a new one with its system columns, or the existing one loaded
/// through the caller's read scope; every change after the first stamps it with a new version.
/// </summary>
internal static class RecordRows
{
    /// <summary>A new record's system columns (version 1, made and owned by the caller unless an owner was given), set on <paramref name="row"/> or a new row.</summary>
    public static Dictionary<string, object?> New(RecordChange change, DateTime now, Dictionary<string, object?>? row = null)
    {
        var user = change.Session.Principal.UserId;
        row ??= [];
        row[RecordColumns.Id] = change.RecordId;
        row[RecordColumns.CreatedAt] = now;
        row[RecordColumns.UpdatedAt] = now;
        row[RecordColumns.CreatedBy] = user;
        row[RecordColumns.UpdatedBy] = user;
        row[RecordColumns.OwnerId] = change.Values.GetValueOrDefault(SystemFields.OwnerId) as Guid? ?? user;
        row[RecordColumns.Version] = 1L;
        return row;
    }

    /// <summary>A row with every column of the model present: EF reads each property of a property bag.</summary>
    public static Dictionary<string, object?> WithEveryColumn(TenantDbContext context, EntityDefinition entity) =>
        context.Model.FindEntityType(entity.Name)!.GetProperties().ToDictionary(p => p.Name, _ => (object?)null);

    /// <summary>
    /// Loads the record to change. Scope comes first: the query itself holds only rows the caller may
    /// read, so a record outside the caller's scope is not loaded at all and is answered exactly as an
    /// id that never existed (the same query, the same answer), before its deleted state or version
    /// can say anything about it.
    /// </summary>
    public static async Task<(Dictionary<string, object?>? Row, WriteResult? Failure)> LoadAsync(
        CrmSession session, TenantDbContext context, EntityDefinition entity, Guid id, long? expectedVersion, bool wantDeleted, CancellationToken cancellationToken)
    {
        var row = ReadAccess.CanReadAny(session.Permissions, entity.Name)
            ? await ReadAccess.Apply(context.Records(entity.Name).AsTracking(), session.Permissions, entity, context)
                .Where(PredicateBuilder.ColumnEquals(RecordColumns.Id, typeof(Guid), id))
                .FirstOrDefaultAsync(cancellationToken)
            : null;
        var isDeleted = row?[RecordColumns.DeletedAt] is not null;
        if (row is null || isDeleted != wantDeleted)
        {
            return (null, WriteResult.Fail(row is null || !wantDeleted
                ? WriteAccess.NotFound(entity, id)
                : new CrmError(ErrorCodes.NotFound, $"The {entity.Name} {id} is not deleted.", "id")));
        }

        if (expectedVersion is { } expected && (long)row[RecordColumns.Version] != expected)
        {
            return (null, WriteResult.Fail(new CrmError(ErrorCodes.VersionConflict,
                $"The {entity.Name} is at version {row[RecordColumns.Version]}, not {expected}: someone changed it. Reload it and apply your change again.", "version")));
        }

        return (AsNullable(row), null);
    }

    /// <summary>The same dictionary, typed for values that may be null (EF's property bags hold nulls too).</summary>
    private static Dictionary<string, object?> AsNullable(Dictionary<string, object> row) => row!;

    /// <summary>A detached copy, so the "previous" values don't change when the tracked row does.</summary>
    public static RecordData Snapshot(EntityDefinition entity, Dictionary<string, object?> row) => new(entity, new Dictionary<string, object?>(row));

    /// <summary>Moves a loaded row to its next version, changed now by the session's user; returns that version.</summary>
    public static long Stamp(Dictionary<string, object?> row, CrmSession session, long previousVersion, DateTime now)
    {
        var version = previousVersion + 1;
        row[RecordColumns.Version] = version;
        row[RecordColumns.UpdatedAt] = now;
        row[RecordColumns.UpdatedBy] = session.Principal.UserId;
        return version;
    }
}
