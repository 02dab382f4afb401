using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Engine.Tests.Support;

/// <summary>
/// The engine's services over a throwaway data directory of real SQLite files, without the HTTP
/// host. Each test makes its own tenants.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly bool _ownsDirectory;

    public EngineHarness(Action<IServiceCollection>? configure = null, string? dataDirectory = null)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "crm-engine-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<CrmEngineOptions>().Configure(o => o.DataDirectory = DataDirectory);
        services.AddCrmEngineCore(DataDirectory);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
        Catalog.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public string DataDirectory { get; }

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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves a temp folder behind.
        }
    }
}
