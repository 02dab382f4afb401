using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrmEngine.Host.Observability;

/// <summary>Ready when the catalog (tenants and API keys) answers a query.</summary>
internal sealed class CatalogHealthCheck(TenantCatalog catalog, ILogger<CatalogHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = catalog.CreateContext();
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The catalog can't be reached.");
            }

            await db.Tenants.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The reason is logged; the answer, which anyone may ask for, names no path, server or error text.
            logger.LogWarning(e, "Readiness: the catalog can't be reached.");
            return HealthCheckResult.Unhealthy("The catalog can't be reached.");
        }
    }
}

/// <summary>
/// Ready when every tenant store this host has open (the tenants it serves) answers a query on its
/// system tables. A store is never created by asking: a missing SQLite file or PostgreSQL schema
/// is not reachable.
/// </summary>
internal sealed class TenantStoresHealthCheck(TenantRegistry tenants, ILogger<TenantStoresHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var open = tenants.OpenTenants;
        var unreachable = 0;
        foreach (var tenantId in open)
        {
            if (!await ReachableAsync(tenantId, cancellationToken))
            {
                unreachable++;
            }
        }

        return unreachable == 0
            ? HealthCheckResult.Healthy($"{open.Count} open tenant store(s) reachable.")
            : HealthCheckResult.Unhealthy($"{unreachable} of {open.Count} open tenant store(s) can't be reached.");
    }

    private async Task<bool> ReachableAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            var store = await tenants.GetAsync(tenantId, cancellationToken);
            await using var db = store.CreateContext();
            // CanConnect first: on SQLite it looks for the file where opening would create it.
            if (await db.Database.CanConnectAsync(cancellationToken))
            {
                await db.Set<MetadataStateRow>().AnyAsync(cancellationToken);
                return true;
            }

            logger.LogWarning("Readiness: the store of tenant {Tenant} can't be reached.", tenantId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Readiness: the store of tenant {Tenant} can't be reached.", tenantId);
        }

        return false;
    }
}
