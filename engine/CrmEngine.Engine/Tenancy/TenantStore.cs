using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Reads;
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
    private readonly Lazy<IReadPool?> _reads;

    internal TenantStore(string tenantId, string connectionString, IStorageProvider provider, MetadataSnapshot metadata, IModel model, IReadOnlyList<IInterceptor>? interceptors = null)
    {
        TenantId = tenantId;
        ConnectionString = connectionString;
        _provider = provider;
        _interceptors = interceptors ?? [];
        _state = CreateState(metadata, model);
        _reads = new(() => provider.CreateReadPool(connectionString, _interceptors));
        Gate = provider.SingleWriter ? new Records.Pipeline.WriteGate() : null;
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

    /// <summary>
    /// Lets one write transaction at a time into a store that allows only one writer (SQLite), so
    /// writers queue here instead of colliding on the file lock and backing off in sleeps, and
    /// writes waiting together share a commit. Null for stores with many writers.
    /// </summary>
    internal Records.Pipeline.WriteGate? Gate { get; }

    /// <summary>A transaction of one's own: waits for the write gate when the store has one; dispose the result to let the next writer in.</summary>
    internal ValueTask<Records.Pipeline.WriteTurn> EnterWriteAsync(CancellationToken cancellationToken) =>
        Gate?.EnterAsync(cancellationToken) ?? ValueTask.FromResult<Records.Pipeline.WriteTurn>(default);

    /// <summary>A read connection with its context over <paramref name="view"/>'s model, where the provider keeps them; null otherwise.</summary>
    internal ReadSlot? RentRead(TenantView view) => _reads.Value?.TryRent(view);

    internal void ReturnRead(ReadSlot slot) => _reads.Value!.GiveBack(slot);

    /// <summary>Closes the store's read connections: it is being let go (deleted, restored, or evicted).</summary>
    internal void Close()
    {
        if (_reads.IsValueCreated)
        {
            _reads.Value?.Dispose();
        }
    }

    /// <summary>A fresh context over the current model. Dispose it; never share it across threads.</summary>
    public TenantDbContext CreateContext() => _state.CreateContext();

    internal void Publish(MetadataSnapshot metadata, IModel model) => _state = CreateState(metadata, model);

    private TenantView CreateState(MetadataSnapshot metadata, IModel model)
    {
        var builder = new DbContextOptionsBuilder<TenantDbContext>();
        _provider.Configure(builder, ConnectionString);
        Storage.Queries.OperandQueryCompiler.Use(builder).UseModel(model).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        if (_interceptors.Count > 0)
        {
            builder.AddInterceptors(_interceptors);
        }

        return new TenantView(metadata, model, builder.Options);
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
