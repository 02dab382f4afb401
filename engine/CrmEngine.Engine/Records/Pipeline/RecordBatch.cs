using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>What a bulk write does with each of its items.</summary>
public enum BulkOperation
{
    Create,
    Update,

    /// <summary>Updates the live record holding the item's value of the match field, else creates one.</summary>
    Upsert,
}

/// <summary>
/// One item of a bulk write: its input (engine names and values, as the pipeline takes them), and
/// for an update the record and the version read. <see cref="Unreadable"/>: why the caller's item
/// could not even be read (a malformed id), so it is refused like any other.
/// </summary>
public sealed record BulkItem(IReadOnlyDictionary<string, object?> Input, Guid Id = default, long? Version = null, IReadOnlyList<CrmError>? Unreadable = null);

/// <summary>What became of one item: its write's result, and whether the write created the record.</summary>
public sealed record BulkItemResult(int Index, WriteResult Result, bool Created);

/// <summary>
/// Bulk writes through the one <see cref="RecordPipeline"/>: every item is an ordinary create or
/// update (validation, permissions on the row and the fields, hooks, rules, audit, outbox, search),
/// nested under a savepoint in a transaction the items of a chunk share, so a chunk pays one
/// transaction and one commit instead of one per item. An item refused, or failing in the database
/// (a unique value taken), rolls back to its own savepoint and leaves the others of its chunk alone:
/// nothing has to be retried. An atomic write runs every item in one transaction and commits only
/// if none was refused; every item is still tried, so each refusal is reported.
/// </summary>
public sealed class RecordBatch(RecordPipeline pipeline, OutboxSignal outbox, IBulkWriter writer, ISearchIndex search, IOptions<CrmEngineOptions> options)
{
    /// <summary>
    /// Writes the items in order and answers one result per item, by index. A request the host won't
    /// take (too many items, an upsert matching on a field that is not unique) is refused as a whole
    /// with a <see cref="CrmException"/>, before anything is written.
    /// </summary>
    public async Task<IReadOnlyList<BulkItemResult>> WriteAsync(CrmSession session, string entityName, BulkOperation operation, IReadOnlyList<BulkItem> items,
        string? matchOn, bool atomic, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Find(entityName) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{entityName}'.");
        var limit = options.Value.MaxBulkItems;
        if (items.Count > limit)
        {
            throw new CrmException(ErrorCodes.TooManyItems, $"A bulk write takes at most {limit} items; this one has {items.Count}. Nothing was written: send them in requests of {limit}.", "inputs");
        }

        return await WriteAllAsync(session, entity, operation, items, matchOn, atomic, cancellationToken);
    }

    /// <summary>
    /// Creates the records, each as a single create would, for a module's code (the SDK's
    /// CreateManyAsync) rather than a request, so without the request's item limit. Outside a write,
    /// in chunks of a transaction each, as <see cref="WriteAsync"/> writes; inside one (a hook), each
    /// item joins it under a savepoint of its own and commits or rolls back with it.
    /// </summary>
    public async Task<IReadOnlyList<BulkItemResult>> CreateEachAsync(CrmSession session, string entityName, IReadOnlyList<IReadOnlyDictionary<string, object?>> items, CancellationToken cancellationToken)
    {
        if (WriteScope.For(session) is null)
        {
            var entity = session.Metadata.Find(entityName) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{entityName}'.");
            return await WriteAllAsync(session, entity, BulkOperation.Create, items.Select(i => new BulkItem(i)).ToList(), null, atomic: false, cancellationToken);
        }

        var results = new BulkItemResult[items.Count];
        var tracker = WriteScope.For(session)!.Context.ChangeTracker;
        var tracked = new List<EntityEntry>();
        void Track(object? sender, EntityTrackedEventArgs e) => tracked.Add(e.Entry);
        for (var index = 0; index < items.Count; index++)
        {
            tracker.Tracked += Track;
            try
            {
                var created = await pipeline.CreateAsync(session, entityName, items[index], cancellationToken);
                results[index] = new BulkItemResult(index, created, created.Succeeded);
            }
            finally
            {
                tracker.Tracked -= Track;
            }

            // The item's rows are saved (its savepoint released) or undone by now. Left tracked, every later
            // save of the write would look through them all again (a refresh adding 10,000 members spent its
            // time there); only what the item itself brought in goes, what the write held before stays.
            foreach (var entry in tracked.Where(e => e.State == EntityState.Unchanged))
            {
                entry.State = EntityState.Detached;
            }

            tracked.Clear();
        }

        return results;
    }

    /// <summary>
    /// Updates the records, each as a single update would, for a module's code (the SDK's
    /// UpdateManyAsync): like <see cref="CreateEachAsync"/>, in chunks of a transaction each outside
    /// a write, each item under a savepoint of the write being handled inside one.
    /// </summary>
    public async Task<IReadOnlyList<BulkItemResult>> UpdateEachAsync(CrmSession session, string entityName, IReadOnlyList<BulkItem> items, CancellationToken cancellationToken)
    {
        if (WriteScope.For(session) is null)
        {
            var entity = session.Metadata.Find(entityName) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{entityName}'.");
            return await WriteAllAsync(session, entity, BulkOperation.Update, items, null, atomic: false, cancellationToken);
        }

        var results = new BulkItemResult[items.Count];
        for (var index = 0; index < items.Count; index++)
        {
            results[index] = new BulkItemResult(index, await pipeline.UpdateAsync(session, entityName, items[index].Id, items[index].Version, items[index].Input, cancellationToken), Created: false);
        }

        return results;
    }

    private async Task<IReadOnlyList<BulkItemResult>> WriteAllAsync(CrmSession session, EntityDefinition entity, BulkOperation operation, IReadOnlyList<BulkItem> items,
        string? matchOn, bool atomic, CancellationToken cancellationToken)
    {
        var match = operation == BulkOperation.Upsert ? MatchField(entity, matchOn) : null;
        var results = new BulkItemResult[items.Count];
        var chunk = atomic ? Math.Max(items.Count, 1) : Math.Max(options.Value.BulkChunkSize, 1);
        for (var start = 0; start < items.Count; start += chunk)
        {
            var batch = new Chunk(session, entity, operation, match, start, Math.Min(chunk, items.Count - start));
            await WriteChunkAsync(batch, items, results, atomic, cancellationToken);
        }

        return results;
    }

    private sealed record Chunk(CrmSession Session, EntityDefinition Entity, BulkOperation Operation, FieldDefinition? Match, int Start, int Count);

    // A method of its own per chunk: the scope it makes ambient ends with it.
    private async Task WriteChunkAsync(Chunk chunk, IReadOnlyList<BulkItem> items, BulkItemResult[] results, bool atomic, CancellationToken cancellationToken)
    {
        await using var scope = (await WriteScope.BeginBatchAsync(chunk.Session, chunk.Entity.Name, cancellationToken)).Activate();
        // Disposed before the scope: the statements go before their transaction and connection do.
        await using var statements = new ChunkStatements(scope.Context, writer, search);
        scope.Use(statements);
        var refused = 0;
        for (var index = chunk.Start; index < chunk.Start + chunk.Count; index++)
        {
            results[index] = await WriteItemAsync(scope, chunk, index, items[index], cancellationToken);
            refused += results[index].Result.Succeeded ? 0 : 1;
            // Each item saved its own changes; a tracker that kept them would make every later save look through them all.
            scope.Context.ChangeTracker.Clear();
        }

        if (atomic && refused > 0)
        {
            // Disposed without completing: everything the items wrote is undone.
            var first = results.First(r => !r.Result.Succeeded).Index;
            foreach (var written in results.Where(r => r.Result.Succeeded).ToList())
            {
                results[written.Index] = new BulkItemResult(written.Index, WriteResult.Fail(new CrmError(ErrorCodes.NotWritten,
                    $"Not written: the request is atomic and {refused} item(s) were refused (the first at index {first}).")), Created: false);
            }

            return;
        }

        scope.AfterCommit(() => outbox.Notify(chunk.Session.TenantId));
        await scope.CompleteAsync(cancellationToken);
    }

    private async Task<BulkItemResult> WriteItemAsync(WriteScope scope, Chunk chunk, int index, BulkItem item, CancellationToken cancellationToken)
    {
        if (item.Unreadable is { } unreadable)
        {
            return new BulkItemResult(index, WriteResult.Fail(unreadable), Created: false);
        }

        var (session, entity) = (chunk.Session, chunk.Entity.Name);
        try
        {
            var id = chunk.Operation switch
            {
                BulkOperation.Update => item.Id,
                BulkOperation.Upsert => await MatchAsync(scope, chunk, item, cancellationToken),
                _ => (Guid?)null,
            };
            if (id is not { } existing)
            {
                var created = await pipeline.CreateAsync(session, entity, item.Input, cancellationToken);
                return new BulkItemResult(index, created, created.Succeeded);
            }

            return existing == Guid.Empty
                ? new BulkItemResult(index, WriteResult.Fail(MissingMatch(chunk.Match!)), Created: false)
                : new BulkItemResult(index, await pipeline.UpdateAsync(session, entity, existing, item.Version, item.Input, cancellationToken), Created: false);
        }
        catch (CrmException e)
        {
            return new BulkItemResult(index, WriteResult.Fail(e.Errors), Created: false);
        }
    }

    /// <summary>
    /// The record an upsert item updates: the live one holding its match value, read in the chunk's
    /// transaction (so an item sees what the items before it wrote); null to create one;
    /// <see cref="Guid.Empty"/> when the item has no match value.
    /// </summary>
    private static async Task<Guid?> MatchAsync(WriteScope scope, Chunk chunk, BulkItem item, CancellationToken cancellationToken)
    {
        var match = chunk.Match!;
        if (item.Input.GetValueOrDefault(match.Name) is not { } raw)
        {
            return Guid.Empty;
        }

        var errors = new List<CrmError>();
        var value = WriteInput.Normalize(chunk.Entity, new Dictionary<string, object?> { [match.Name] = raw }, errors).GetValueOrDefault(match.Name);
        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        return await WriteChecks.HolderAsync(scope.Context, chunk.Entity, match, value, cancellationToken);
    }

    private static FieldDefinition MatchField(EntityDefinition entity, string? matchOn)
    {
        if (matchOn is not null && entity.FindField(matchOn) is { Unique: true } field)
        {
            return field;
        }

        var unique = entity.ActiveFields.Where(f => f.Unique).Select(f => f.Name).ToList();
        throw new CrmException(ErrorCodes.NotUniqueField,
            $"An upsert matches on a unique field of {entity.Name}; '{matchOn}' is {(entity.FindField(matchOn ?? string.Empty) is null ? "not one of its fields" : "not unique")}. "
            + (unique.Count == 0 ? $"{entity.Name} has no unique field." : $"Unique fields: {string.Join(", ", unique)}."), "matchOn");
    }

    private static CrmError MissingMatch(FieldDefinition match) =>
        new(ErrorCodes.Required, $"'{match.Name}' is what this upsert matches on: every item needs a value for it.", match.Name);
}
