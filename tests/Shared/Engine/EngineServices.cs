using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Testing;

/// <summary>
/// The engine's services over a throwaway store (real SQLite files, or a PostgreSQL database of
/// its own in the PostgreSQL pass, see <see cref="TestStorage"/>), without the HTTP host: the part
/// the engine and rules harnesses share. Harnesses given one <see cref="TestStore"/> are like hosts
/// sharing one database: each has its own services and caches.
/// </summary>
public abstract class EngineServices : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TestStore? _ownedStore;

    /// <param name="store">A store to share with other harnesses (the caller disposes it); a new one otherwise.</param>
    /// <param name="configure">Services on top of the engine's core and the store's provider.</param>
    protected EngineServices(TestStore? store, Action<IServiceCollection>? configure)
    {
        _ownedStore = store is null ? TestStore.Create() : null;
        Store = store ?? _ownedStore!;
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<CrmEngineOptions>().Configure(Store.Configure);
        services.AddCrmEngineCore(DataDirectory);
        Store.AddProvider(services);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
        Catalog.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public TestStore Store { get; }

    public string DataDirectory => Store.DataDirectory;

    public IServiceProvider Services => _services;

    public TenantCatalog Catalog => _services.GetRequiredService<TenantCatalog>();

    public TenantRegistry Tenants => _services.GetRequiredService<TenantRegistry>();

    public MetadataService Metadata => _services.GetRequiredService<MetadataService>();

    public RecordPipeline Pipeline => _services.GetRequiredService<RecordPipeline>();

    public RecordReader Reader => _services.GetRequiredService<RecordReader>();

    public OutboxDispatcher Outbox => _services.GetRequiredService<OutboxDispatcher>();

    /// <summary>A fresh session (and so a fresh view of the metadata) on a tenant, as an admin unless told otherwise.</summary>
    public async Task<CrmSession> SessionAsync(string tenantId, Guid? user = null, bool admin = true) =>
        new(await Tenants.GetAsync(tenantId, CancellationToken.None), new CrmPrincipal(tenantId, user ?? Guid.CreateVersion7(), null, admin ? [CrmPrincipal.AdminRole] : []));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownedStore is not null)
        {
            await _ownedStore.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
