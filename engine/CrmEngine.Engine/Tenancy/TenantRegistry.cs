using System.Collections.Concurrent;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Opens tenant stores on first use and keeps them: each holds its current metadata and model, so
/// requests never read metadata from the database. Another host's metadata change reaches this one
/// as a change event (<see cref="RefreshAsync"/>); a deleted or restored tenant is let go
/// (<see cref="Evict"/>) and opened afresh on its next use. EF interceptors registered in the
/// container (diagnostics, tests that count commands) are added to every tenant context.
/// </summary>
public sealed class TenantRegistry(TenantCatalog catalog, ModelCache models, TenantModelFactory factory, SystemSchemaUpgrader upgrader, ISearchIndex search, IEnumerable<IInterceptor> interceptors)
{
    private readonly IReadOnlyList<IInterceptor> _interceptors = interceptors.ToList();

    private readonly ConcurrentDictionary<string, Lazy<Task<TenantStore>>> _stores = new(StringComparer.Ordinal);
    private readonly Lazy<Microsoft.EntityFrameworkCore.Metadata.IModel> _systemModel = new(() => factory.BuildForRuntime(MetadataSnapshot.Empty, ModelScope.System));

    public ModelCache Models => models;

    /// <summary>The ids of the tenants this process has open.</summary>
    public IReadOnlyCollection<string> OpenTenants => _stores.Keys.ToList();

    public async Task<TenantStore> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var lazy = _stores.GetOrAdd(tenantId, id => new Lazy<Task<TenantStore>>(() => OpenAsync(id)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // A failed open is not cached: the next request tries again.
            _stores.TryRemove(new KeyValuePair<string, Lazy<Task<TenantStore>>>(tenantId, lazy));
            throw;
        }
    }

    /// <summary>Forgets a tenant's open store; the next request opens it again from the catalog.</summary>
    public void Evict(string tenantId)
    {
        if (_stores.TryRemove(tenantId, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
        {
            lazy.Value.Result.Close();
        }
    }

    /// <summary>
    /// Brings an open tenant's metadata up to <paramref name="version"/> (or to whatever the store
    /// holds, when null) by reading it from the store. Tenants this process has not opened are left
    /// alone: they are read in full when first used.
    /// </summary>
    public async Task RefreshAsync(string tenantId, long? version, CancellationToken cancellationToken)
    {
        if (!_stores.TryGetValue(tenantId, out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully)
        {
            return;
        }

        var store = lazy.Value.Result;
        if (version is { } wanted && store.Metadata.Version >= wanted)
        {
            return;
        }

        await ReloadAsync(store, cancellationToken);
    }

    /// <summary>Reads a store's metadata again and switches to it when it is newer than what this process holds.</summary>
    public async Task ReloadAsync(TenantStore store, CancellationToken cancellationToken)
    {
        await store.MetadataLock.WaitAsync(cancellationToken);
        try
        {
            MetadataSnapshot stored;
            await using (var context = store.CreateContext())
            {
                stored = await MetadataStore.LoadAsync(context, cancellationToken);
            }

            if (stored.Version > store.Metadata.Version)
            {
                store.Publish(stored, models.Get(stored));
                store.Provider.TablesChanged(store.ConnectionString);
            }
        }
        finally
        {
            store.MetadataLock.Release();
        }
    }

    private async Task<TenantStore> OpenAsync(string tenantId)
    {
        var tenant = await catalog.FindTenantAsync(tenantId, CancellationToken.None) ?? throw TenantCatalog.NoTenant(tenantId);
        var connectionString = await catalog.ConnectionStringAsync(tenant, CancellationToken.None);
        var bootstrap = new TenantStore(tenantId, connectionString, factory.Provider, MetadataSnapshot.Empty, _systemModel.Value);
        MetadataSnapshot metadata;
        await using (var context = bootstrap.CreateContext())
        {
            await upgrader.UpgradeAsync(tenantId, context, connectionString, CancellationToken.None);
            metadata = await MetadataStore.LoadAsync(context, CancellationToken.None);
            // Stores from before the search index, or restored without it, get it built here.
            await search.EnsureAsync(context, metadata, CancellationToken.None);
        }

        return new TenantStore(tenantId, connectionString, factory.Provider, metadata, models.Get(metadata), _interceptors);
    }
}
