using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Engine.Tests.Support;

/// <summary>
/// The engine's services over a throwaway store (real SQLite files, or a PostgreSQL database of
/// its own in the PostgreSQL pass, see <see cref="TestStorage"/>), without the HTTP host. Each test
/// makes its own tenants.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly TestStore? _ownedStore;

    /// <param name="configure">Extra services.</param>
    /// <param name="store">A store to share with other harnesses (the caller disposes it); a new one otherwise.</param>
    public EngineHarness(Action<IServiceCollection>? configure = null, TestStore? store = null)
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

    /// <summary>A new tenant and an admin session on it.</summary>
    public async Task<CrmSession> NewTenantAsync(string? id = null)
    {
        id ??= "t" + Guid.NewGuid().ToString("N")[..12];
        await Catalog.CreateTenantAsync(id, id, CancellationToken.None);
        return await SessionAsync(id);
    }

    /// <summary>A fresh session (and so a fresh view of the metadata) on a tenant.</summary>
    public async Task<CrmSession> SessionAsync(string tenantId, Guid? user = null) =>
        new(await Tenants.GetAsync(tenantId, CancellationToken.None), new CrmPrincipal(tenantId, user ?? Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));

    public async Task<CrmSession> DefineAsync(CrmSession session, EntityDefinition entity)
    {
        await Metadata.CreateEntityAsync(session.Store, entity, session.Principal.UserId, CancellationToken.None);
        return await SessionAsync(session.TenantId, session.Principal.UserId);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownedStore is not null)
        {
            await _ownedStore.DisposeAsync();
        }
    }
}
