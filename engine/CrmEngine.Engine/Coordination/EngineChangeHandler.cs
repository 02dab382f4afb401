using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Coordination;

/// <summary>Keeps the engine's caches (open stores with their metadata and model, identity directories, verified keys) in step with change events.</summary>
internal sealed class EngineChangeHandler(TenantRegistry tenants, IdentityDirectory identities, TenantCatalog catalog) : IChangeHandler
{
    public async Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case ChangeKinds.Metadata when change.TenantId is { } tenant:
                await tenants.RefreshAsync(tenant, change.Version, cancellationToken);
                break;
            case ChangeKinds.Identity when change.TenantId is { } tenant:
                identities.Invalidate(tenant);
                break;
            case ChangeKinds.KeyRevoked when change.Subject is { } keyId:
                catalog.ForgetKeys(p => p.KeyId == keyId);
                break;
            case ChangeKinds.TenantRemoved or ChangeKinds.TenantReplaced when change.TenantId is { } tenant:
                tenants.Evict(tenant);
                identities.Invalidate(tenant);
                catalog.ForgetKeys(p => p.TenantId == tenant);
                break;
            case ChangeKinds.Resync:
                // Anything may have happened meanwhile (a tenant deleted, restored to an older
                // version): letting go of everything is always right, and reopening is cheap.
                foreach (var tenant in tenants.OpenTenants)
                {
                    tenants.Evict(tenant);
                    identities.Invalidate(tenant);
                }

                catalog.ForgetKeys(_ => true);
                break;
        }
    }
}
