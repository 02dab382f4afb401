using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using GraphQL.DataLoader;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// Batches record reads by id within one request: every lookup resolved at one level of the
/// response registers its id, and graphql-dotnet awaits the <see cref="IDataLoaderResult"/>s only
/// after the whole level has resolved, so the first await reads all of them in one query per
/// entity. Records read once are kept for the rest of the request.
/// </summary>
public sealed class RecordLoader(RecordReader reader, CrmSession session)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Batch> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Entity, Guid Id), RecordData?> _loaded = [];

    /// <summary>The live record, or null; a value when it is already known, else a pending batch result.</summary>
    public object? Load(string entity, Guid id)
    {
        lock (_lock)
        {
            if (_loaded.TryGetValue((entity, id), out var known))
            {
                return known;
            }

            if (!_open.TryGetValue(entity, out var batch))
            {
                batch = new Batch(this, entity);
                _open[entity] = batch;
            }

            batch.Ids.Add(id);
            return new Pending(batch, id);
        }
    }

    private async Task<IReadOnlyDictionary<Guid, RecordData>> RunAsync(Batch batch, CancellationToken cancellationToken)
    {
        List<Guid> ids;
        lock (_lock)
        {
            // From now on new ids for this entity go to a new batch.
            if (_open.GetValueOrDefault(batch.Entity) == batch)
            {
                _open.Remove(batch.Entity);
            }

            ids = [.. batch.Ids];
        }

        var found = await reader.GetManyAsync(session, batch.Entity, ids, cancellationToken);
        lock (_lock)
        {
            foreach (var id in ids)
            {
                _loaded[(batch.Entity, id)] = found.GetValueOrDefault(id);
            }
        }

        return found;
    }

    private sealed class Batch(RecordLoader loader, string entity)
    {
        private readonly Lock _lock = new();
        private Task<IReadOnlyDictionary<Guid, RecordData>>? _run;

        public string Entity { get; } = entity;

        public HashSet<Guid> Ids { get; } = [];

        public Task<IReadOnlyDictionary<Guid, RecordData>> RunAsync(CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                return _run ??= loader.RunAsync(this, cancellationToken);
            }
        }
    }

    private sealed class Pending(Batch batch, Guid id) : IDataLoaderResult<RecordData?>
    {
        public async Task<RecordData?> GetResultAsync(CancellationToken cancellationToken = default) =>
            (await batch.RunAsync(cancellationToken)).GetValueOrDefault(id);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
