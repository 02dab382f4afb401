namespace CrmEngine.Engine.Coordination;

/// <summary>
/// Keeps a per-tenant cache in step with change events, from this host or another: a tenant's
/// entries go when a change of the cache's kind names it, or when the tenant is removed or replaced;
/// everything goes on a resync.
/// </summary>
/// <param name="kind">The change kind that concerns the cache; null when only tenants coming and going do.</param>
public abstract class TenantCacheChangeHandler(string? kind) : IChangeHandler
{
    protected abstract void Invalidate(string tenantId);

    protected abstract void InvalidateAll();

    public Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        if (change.Kind == ChangeKinds.Resync)
        {
            InvalidateAll();
        }
        else if (change.TenantId is { } tenant && (change.Kind == kind || change.Kind is ChangeKinds.TenantRemoved or ChangeKinds.TenantReplaced))
        {
            Invalidate(tenant);
        }

        return Task.CompletedTask;
    }
}
