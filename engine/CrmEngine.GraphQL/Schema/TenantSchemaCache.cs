using System.Collections.Concurrent;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Schema;

/// <summary>
/// One schema per tenant, kept until the tenant's metadata version moves on; never built per
/// request. Concurrent requests for a new version wait for a single build.
/// </summary>
public sealed class TenantSchemaCache(TenantSchemaBuilder builder)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _builds;

    /// <summary>How many schemas this cache has built (for tests and diagnostics).</summary>
    public int BuildCount => _builds;

    public ISchema Get(CrmSession session)
    {
        var version = session.Metadata.Version;
        var entry = _entries.GetOrAdd(session.TenantId, _ => new Entry());
        if (entry.Current is { } hit && hit.Version == version)
        {
            return hit.Schema;
        }

        lock (entry)
        {
            if (entry.Current is { } raced && raced.Version == version)
            {
                return raced.Schema;
            }

            var schema = builder.Build(session.Metadata);
            Interlocked.Increment(ref _builds);
            // A request pinned to an older version gets its own schema without evicting a newer one.
            if (entry.Current is null || entry.Current.Version < version)
            {
                entry.Current = new Cached(version, schema);
            }

            return schema;
        }
    }

    /// <summary>Forgets a tenant's schema (deleted, or restored to another metadata version).</summary>
    public void Evict(string tenantId) => _entries.TryRemove(tenantId, out _);

    public void EvictAll() => _entries.Clear();

    private sealed record Cached(long Version, ISchema Schema);

    private sealed class Entry
    {
        private volatile Cached? _current;

        public Cached? Current
        {
            get => _current;
            set => _current = value;
        }
    }
}

/// <summary>
/// Drops cached schemas of tenants whose store was deleted or replaced: a restored tenant may be
/// back at a metadata version this cache already holds a different schema for.
/// </summary>
internal sealed class SchemaChangeHandler(TenantSchemaCache cache) : TenantCacheChangeHandler(null)
{
    protected override void Invalidate(string tenantId) => cache.Evict(tenantId);

    protected override void InvalidateAll() => cache.EvictAll();
}
