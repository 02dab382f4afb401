using System.Diagnostics.CodeAnalysis;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Checks that need the database, run inside the write's transaction: lookups point at live records
/// (those the caller chose at records the caller can see, checked before the hooks), unique values
/// are free. The database's own constraints back both up.
/// </summary>
internal static class WriteChecks
{
    /// <summary>
    /// The validate stage's check of the lookups the caller chose, before any hook or rule runs: each
    /// must point at a live record the caller can see. Hooks and rules read with more rights than the
    /// caller; checked only after them, a hidden target would be theirs to read and answer from on the
    /// caller's behalf.
    /// </summary>
    public static async Task CheckCallersLookupsAsync(RecordChange change, TenantDbContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in change.Input)
        {
            if (IsLookup(change, name, value, out var field, out var target))
            {
                await CheckVisibleAsync(change, context, field, target, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The bulk path's version: only lookups to entities the caller reads in part (own or team scope),
    /// so a hidden target is refused as a missing one is; the database's foreign keys check the others
    /// for the whole batch, and no read is made for a record that has none of these.
    /// </summary>
    public static async Task CheckCallersScopedLookupsAsync(RecordChange change, CancellationToken cancellationToken)
    {
        ReadLease? lease = null;
        try
        {
            foreach (var (name, value) in change.Input)
            {
                if (IsLookup(change, name, value, out var field, out var target) && change.Session.Permissions.Scope(field.LookupEntity!, RecordAction.Read) != AccessScope.All)
                {
                    lease ??= ReadLease.For(change.Session);
                    await CheckVisibleAsync(change, lease.Value.Context, field, target, cancellationToken);
                }
            }
        }
        finally
        {
            if (lease is { } open)
            {
                await open.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// After the hooks: lookups they chose exist, unique values are free. <paramref name="everyLookup"/>
    /// checks the caller's lookups too, for the bulk path's record-by-record retry, whose lookups were
    /// left to the batch's foreign keys.
    /// </summary>
    public static async Task RunAsync(RecordChange change, TenantDbContext context, CancellationToken cancellationToken, bool everyLookup = false)
    {
        foreach (var (name, value) in change.Values)
        {
            if (change.Entity.FindField(name) is not { } field || field.Of().IsEmpty(value))
            {
                continue;
            }

            // A lookup still as the caller chose it was checked before the hooks; one a hook or rule
            // chose needs only to exist.
            var callersChoice = !everyLookup && change.Input.TryGetValue(name, out var input) && Equals(input, value);
            if (field.Type == FieldType.Lookup && value is Guid target && !callersChoice && !await ExistsAsync(context, field.LookupEntity!, target, null, cancellationToken))
            {
                change.Errors.Add(LookupNotFound(field, target));
            }

            if (field.Unique && await TakenAsync(context, change, field, value, cancellationToken))
            {
                change.Errors.Add(new CrmError(ErrorCodes.UniqueViolation, $"Another {change.Entity.Name} already has {name} '{field.Of().FormatText(value)}'.", name));
            }
        }
    }

    private static bool IsLookup(RecordChange change, string name, object? value, [NotNullWhen(true)] out FieldDefinition? field, out Guid target)
    {
        field = value is Guid && change.Entity.FindField(name) is { Type: FieldType.Lookup } lookup ? lookup : null;
        target = value as Guid? ?? Guid.Empty;
        return field is not null;
    }

    private static async Task CheckVisibleAsync(RecordChange change, TenantDbContext context, FieldDefinition field, Guid target, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(context, field.LookupEntity!, target, change.Session, cancellationToken))
        {
            change.Errors.Add(LookupNotFound(field, target));
        }
    }

    private static CrmError LookupNotFound(FieldDefinition field, Guid target) =>
        new(ErrorCodes.LookupNotFound, $"'{field.Name}' points to {field.LookupEntity} {target}, which does not exist.", field.Name);

    private static async Task<bool> ExistsAsync(TenantDbContext context, string entity, Guid id, CrmSession? viewer, CancellationToken cancellationToken)
    {
        IQueryable<Dictionary<string, object>> records = context.Records(entity);
        if (viewer is not null)
        {
            if (!ReadAccess.CanReadAny(viewer.Permissions, entity))
            {
                return false;
            }

            records = ReadAccess.Apply(records, viewer.Permissions, viewer.Metadata.Get(entity), context);
        }

        return await records
            .Where(PredicateBuilder.ColumnEquals(RecordColumns.Id, typeof(Guid), id))
            .Where(RecordReader.NotDeleted())
            .AnyAsync(cancellationToken);
    }

    /// <summary>The live record holding <paramref name="value"/> (normalized) in a unique field, if any: whom an upsert updates.</summary>
    public static Task<Guid?> HolderAsync(TenantDbContext context, EntityDefinition entity, FieldDefinition field, object? value, CancellationToken cancellationToken) =>
        Holders(context, entity, field, value).Select(r => (Guid?)EF.Property<Guid>(r, RecordColumns.Id)).FirstOrDefaultAsync(cancellationToken);

    private static Task<bool> TakenAsync(TenantDbContext context, RecordChange change, FieldDefinition field, object? value, CancellationToken cancellationToken)
    {
        var self = change.RecordId;
        return Holders(context, change.Entity, field, value)
            .Where(r => EF.Property<Guid>(r, RecordColumns.Id) != self)
            .AnyAsync(cancellationToken);
    }

    private static IQueryable<Dictionary<string, object>> Holders(TenantDbContext context, EntityDefinition entity, FieldDefinition field, object? value)
    {
        var row = new Dictionary<string, object?>();
        field.Of().Write(field, value, row);
        return context.Records(entity.Name)
            .Where(PredicateBuilder.ColumnEquals(field.ColumnName, field.Of().Columns(field)[0].ClrType, row[field.ColumnName]))
            .Where(RecordReader.NotDeleted());
    }
}
