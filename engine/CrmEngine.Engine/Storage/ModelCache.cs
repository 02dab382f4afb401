using CrmEngine.Engine.Metadata;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Runtime models keyed by the storage signature of the metadata, not by tenant: tenants with the
/// same schema share one model and so one set of compiled queries. Bounded, least recently used
/// out first, because EF's own model cache would keep every model forever.
/// </summary>
public sealed class ModelCache(TenantModelFactory factory, int capacity = 512)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, IModel Model)>> _entries = [];
    private readonly LinkedList<(string Key, IModel Model)> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public IModel Get(MetadataSnapshot snapshot)
    {
        var key = factory.Provider.Name + ":" + factory.System.Signature + ":" + snapshot.StorageSignature;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Model;
            }
        }

        // Built outside the lock: two threads may build the same model once; the first one wins.
        var model = factory.BuildForRuntime(snapshot, ModelScope.All);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var raced))
            {
                return raced.Value.Model;
            }

            _entries[key] = _recency.AddFirst((key, model));
            while (_entries.Count > capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }

            return model;
        }
    }
}
