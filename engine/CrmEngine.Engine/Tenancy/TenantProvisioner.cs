using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Something that prepares every new tenant after its store exists (the plugin host enables the
/// configured default plugins, for example).
/// </summary>
public interface ITenantInitializer
{
    Task InitializeAsync(TenantStore store, bool isDemoTenant, CancellationToken cancellationToken);
}

/// <summary>Creates tenants: the catalog entry and store, then every <see cref="ITenantInitializer"/>.</summary>
public sealed class TenantProvisioner(TenantCatalog catalog, TenantRegistry tenants, IEnumerable<ITenantInitializer> initializers, IOptions<CrmEngineOptions> options)
{
    public Task<TenantRow> CreateAsync(string tenantId, string displayName, CancellationToken cancellationToken) =>
        CreateAsync(tenantId, displayName, null, cancellationToken);

    /// <summary>Creates a tenant on the named PostgreSQL server (<paramref name="placement"/>; null for the default).</summary>
    public async Task<TenantRow> CreateAsync(string tenantId, string displayName, string? placement, CancellationToken cancellationToken)
    {
        var row = await catalog.CreateTenantAsync(tenantId, displayName, placement, cancellationToken);
        var store = await tenants.GetAsync(tenantId, cancellationToken);
        foreach (var initializer in initializers)
        {
            await initializer.InitializeAsync(store, tenantId == options.Value.DemoTenantId, cancellationToken);
        }

        return row;
    }
}
