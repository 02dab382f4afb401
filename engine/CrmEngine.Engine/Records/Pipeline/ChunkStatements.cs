using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The INSERT statements a chunk of a bulk write (<see cref="RecordBatch"/>) keeps prepared for its
/// items: new records per entity table, audit rows, outbox rows and new search entries. The items
/// are the pipeline's ordinary writes; only how their new rows reach the store changes: through the
/// store's bulk writer (<see cref="IBulkWriter"/>, the importer's column mapping and EF's type
/// mappings) with a statement prepared once per chunk, instead of EF preparing three INSERTs anew
/// per item. Each item's rows are written when the item completes, inside its savepoint, so the next
/// item sees them and a refused item leaves nothing. Prepared on first use, disposed with the chunk.
/// </summary>
internal sealed class ChunkStatements(TenantDbContext context, IBulkWriter writer, ISearchIndex search) : IAsyncDisposable
{
    private readonly Dictionary<string, IPreparedInsert> _records = [];
    private readonly Dictionary<string, IPreparedSearchEntries> _search = [];
    private IPreparedInsert? _audit;
    private IPreparedInsert? _outbox;

    public TenantDbContext Context => context;

    public async Task InsertRecordAsync(string entity, Dictionary<string, object?> row, CancellationToken cancellationToken)
    {
        if (!_records.TryGetValue(entity, out var insert))
        {
            _records[entity] = insert = await writer.PrepareAsync(context, entity, cancellationToken);
        }

        await insert.InsertAsync(row, cancellationToken);
    }

    public async Task InsertLogAsync(AuditRow audit, OutboxRow outbox, CancellationToken cancellationToken)
    {
        await (_audit ??= await writer.PrepareAsync<AuditRow>(context, cancellationToken)).InsertAsync(audit, cancellationToken);
        await (_outbox ??= await writer.PrepareAsync<OutboxRow>(context, cancellationToken)).InsertAsync(outbox, cancellationToken);
    }

    public async Task IndexNewAsync(string entity, Guid id, string text, CancellationToken cancellationToken)
    {
        if (!_search.TryGetValue(entity, out var entries))
        {
            _search[entity] = entries = await search.PrepareNewAsync(context, entity, cancellationToken);
        }

        await entries.AddAsync(id, text, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var insert in _records.Values.Concat([_audit, _outbox]).OfType<IPreparedInsert>())
        {
            await insert.DisposeAsync();
        }

        foreach (var entries in _search.Values)
        {
            await entries.DisposeAsync();
        }
    }
}
