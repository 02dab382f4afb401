using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Common;

/// <summary>
/// What a caller may learn of the records the sales logic touches with full permissions. The plugin
/// reads with privileged access for its bookkeeping, but a record outside the caller's scope is
/// answered exactly as one that never existed (same code, same message, the same reads), unless a
/// business rule of the plugin gives the caller that record (a rep may claim a pool account nobody
/// in their scope holds). Records go back to the caller as the caller may read them.
/// </summary>
internal static class Visibility
{
    /// <summary>The refusal for an id that names nothing the caller may see.</summary>
    public static OperationException NotFound(string entity, Guid id, string argument) =>
        new(SalesErrors.NotFound, $"There is no {entity} with id {id}.", argument);

    /// <summary>
    /// The record an operation's argument names, read with full permissions (hidden fields
    /// included, for the plugin's logic), provided the caller may see it or <paramref name="grants"/>
    /// gives it to them; NOT_FOUND otherwise, as for a made-up id.
    /// </summary>
    public static async Task<CrmRecord> RequireAsync(IOperationContext context, string entity, Guid id, string argument, CancellationToken cancellationToken, Func<CrmRecord, Task<bool>>? grants = null) =>
        await FindAsync(context, entity, id, cancellationToken, grants) ?? throw NotFound(entity, id, argument);

    /// <summary>The record with full permissions when the caller may see it (or <paramref name="grants"/> gives it to them); null otherwise, as for a record that does not exist.</summary>
    public static async Task<CrmRecord?> FindAsync(IOperationContext context, string entity, Guid id, CancellationToken cancellationToken, Func<CrmRecord, Task<bool>>? grants = null)
    {
        // The caller's own read first: a made-up id and a hidden record then cost the same reads.
        var seen = await context.Records.GetAsync(entity, id, cancellationToken) is not null;
        if (!seen && grants is null)
        {
            return null;
        }

        var record = await context.PrivilegedRecords.GetAsync(entity, id, cancellationToken);
        return record is not null && (seen || await grants!(record)) ? record : null;
    }

    /// <summary>A record for an operation's result: re-read as the caller, so fields their role hides read as null, and a record they may no longer see is null.</summary>
    public static async Task<CrmRecord?> AsSeenAsync(IOperationContext context, CrmRecord? record, CancellationToken cancellationToken) =>
        record is null ? null : await context.Records.GetAsync(record.Entity, record.Id, cancellationToken);

    /// <summary>
    /// In a hook: the record a lookup of the write points at, with full permissions, for the hook's
    /// bookkeeping. A lookup this write sets to a record its writer may not see is treated as
    /// pointing nowhere: the hook leaves it alone and reveals nothing, and the engine then refuses the
    /// write exactly as it refuses a made-up id. A lookup the record already had stays followed.
    /// </summary>
    public static async Task<CrmRecord?> LinkedAsync(IRecordContext record, string field, string entity, CancellationToken cancellationToken) =>
        await LinkedIdAsync(record, field, entity, cancellationToken) is { } id ? await record.PrivilegedRecords.GetAsync(entity, id, cancellationToken) : null;

    /// <summary>The id <see cref="LinkedAsync"/> would read, for hooks that need no more than the id.</summary>
    public static async Task<Guid?> LinkedIdAsync(IRecordContext record, string field, string entity, CancellationToken cancellationToken)
    {
        if (record.GetValue(field) is not Guid id)
        {
            return null;
        }

        return record.IsChanging(field) && await record.Records.GetAsync(entity, id, cancellationToken) is null ? null : id;
    }
}
