namespace CrmEngine.Engine.Storage;

/// <summary>
/// A thread-safe map of at most <c>capacity</c> entries, least recently used out first, for values
/// that are costly to build and safe to share (models, DDL plans). A value is built outside the lock:
/// two threads may build the same one at once; the first stored wins and both get it.
/// </summary>
public sealed class BoundedCache<TValue>(int capacity)
    where TValue : class
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> _entries = [];
    private readonly LinkedList<(string Key, TValue Value)> _recency = new();
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

    public TValue GetOrAdd(string key, Func<TValue> build)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Value;
            }
        }

        var value = build();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var raced))
            {
                return raced.Value.Value;
            }

            _entries[key] = _recency.AddFirst((key, value));
            while (_entries.Count > capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }

            return value;
        }
    }
}
