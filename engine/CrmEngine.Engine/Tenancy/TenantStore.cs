using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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

    internal TenantStore(string tenantId, string connectionString, IStorageProvider provider, MetadataSnapshot metadata, IModel model, IReadOnlyList<IInterceptor>? interceptors = null)
    {
        TenantId = tenantId;
        ConnectionString = connectionString;
        _provider = provider;
        _interceptors = interceptors ?? [];
        _state = CreateState(metadata, model);
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

    /// <summary>A fresh context over the current model. Dispose it; never share it across threads.</summary>
    public TenantDbContext CreateContext() => _state.CreateContext();

    internal void Publish(MetadataSnapshot metadata, IModel model) => _state = CreateState(metadata, model);

    private TenantView CreateState(MetadataSnapshot metadata, IModel model)
    {
        var builder = new DbContextOptionsBuilder();
        _provider.Configure(builder, ConnectionString);
        builder.UseModel(model).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
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
/// </summary>
public sealed class TenantView(MetadataSnapshot metadata, IModel model, DbContextOptions options)
{
    public MetadataSnapshot Metadata { get; } = metadata;

    public IModel Model { get; } = model;

    public TenantDbContext CreateContext() => new(options);
}
