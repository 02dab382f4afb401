using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// One tenant's store as this process sees it: where it is, its current metadata and the EF model
/// and context options that go with it. The three change together, atomically, when metadata
/// changes; a request keeps whatever version it started with.
/// </summary>
public sealed class TenantStore
{
    private readonly IStorageProvider _provider;
    private readonly IReadOnlyList<IInterceptor> _interceptors;
    private volatile TenantView _state;
    private readonly Lazy<IStoreAccess> _access;

    internal TenantStore(string tenantId, string connectionString, IStorageProvider provider, MetadataSnapshot metadata, IModel model, IReadOnlyList<IInterceptor>? interceptors = null)
    {
        TenantId = tenantId;
        ConnectionString = connectionString;
        _provider = provider;
        _interceptors = interceptors ?? [];
        _state = CreateState(metadata, model);
        _access = new(() => provider.OpenStore(connectionString, _interceptors));
    }

    public string TenantId { get; }

    public string ConnectionString { get; }

    public IStorageProvider Provider => _provider;

    /// <summary>The current metadata, model and context options, as one consistent view.</summary>
    public TenantView Current => _state;

    public MetadataSnapshot Metadata => _state.Metadata;

    public IModel Model => _state.Model;

    /// <summary>Serializes metadata changes within this process.</summary>
    internal SemaphoreSlim MetadataLock { get; } = new(1, 1);

    /// <summary>How reads and writes reach the store, as its provider serves it (opened on first use).</summary>
    internal IStoreAccess Access => _access.Value;

    /// <summary>Lets the store go (it is being deleted, restored, or evicted): its provider closes what it kept open.</summary>
    internal void Close()
    {
        if (_access.IsValueCreated)
        {
            _access.Value.Dispose();
        }
    }

    /// <summary>A fresh context over the current model. Dispose it; never share it across threads.</summary>
    public TenantDbContext CreateContext() => _state.CreateContext();

    /// <summary>
    /// Saves what <paramref name="context"/> tracks, outside any write of the record pipeline, taking
    /// its turn with the store's other writes: on SQLite a write of its own around the write gate
    /// would collide with the gate's writers on the file lock, and both sides back off in sleeps.
    /// </summary>
    public Task SaveAsync(TenantDbContext context, CancellationToken cancellationToken) => Access.SaveAsync(context, cancellationToken);

    internal void Publish(MetadataSnapshot metadata, IModel model) => _state = CreateState(metadata, model);

    private TenantView CreateState(MetadataSnapshot metadata, IModel model)
    {
        var builder = new DbContextOptionsBuilder<TenantDbContext>();
        _provider.Configure(builder, ConnectionString);
        return new TenantView(metadata, model, TenantContextOptions.Complete(builder, model, _interceptors).Options);
    }
}

/// <summary>
/// A tenant's metadata with the model and options built from it. A request holds one view from
/// start to end, so the schema it was validated against and the model it writes through agree.
/// Contexts come from a pool per view: the options never change within a view, and renting a reset
/// context skips EF's per-instance service setup, which costs as much as a small query.
/// </summary>
public sealed class TenantView(MetadataSnapshot metadata, IModel model, DbContextOptions<TenantDbContext> options)
{
    private const int PoolSize = 64;

    private readonly PooledDbContextFactory<TenantDbContext> _pool = new(options, PoolSize);

    public MetadataSnapshot Metadata { get; } = metadata;

    public IModel Model { get; } = model;

    /// <summary>A context for one unit of work; disposing it returns it to the pool.</summary>
    public TenantDbContext CreateContext() => _pool.CreateDbContext();
}
