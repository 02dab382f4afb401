using System.Collections.Concurrent;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Opens tenant stores on first use and keeps them: each holds its current metadata and model, so
/// requests never read metadata from the database. EF interceptors registered in the container
/// (diagnostics, tests that count commands) are added to every tenant context.
/// </summary>
public sealed class TenantRegistry(TenantCatalog catalog, ModelCache models, TenantModelFactory factory, SystemSchemaUpgrader upgrader, ISearchIndex search, IEnumerable<IInterceptor> interceptors)
{
    private readonly IReadOnlyList<IInterceptor> _interceptors = interceptors.ToList();

    private readonly ConcurrentDictionary<string, Lazy<Task<TenantStore>>> _stores = new(StringComparer.Ordinal);
    private readonly Lazy<Microsoft.EntityFrameworkCore.Metadata.IModel> _systemModel = new(() => factory.BuildForRuntime(MetadataSnapshot.Empty, ModelScope.System));

    public ModelCache Models => models;

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

    private async Task<TenantStore> OpenAsync(string tenantId)
    {
        var tenant = await catalog.FindTenantAsync(tenantId, CancellationToken.None)
            ?? throw new CrmException(ErrorCodes.NotFound, $"There is no tenant '{tenantId}'.");
        var connectionString = catalog.ConnectionStringFor(tenant);
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
