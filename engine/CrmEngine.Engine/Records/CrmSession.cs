using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Records;

/// <summary>
/// One caller working on one tenant: the principal, the tenant's store, and the view of its
/// metadata pinned when the session began. Every engine operation takes one.
/// </summary>
public sealed class CrmSession(TenantStore store, CrmPrincipal principal)
{
    public TenantStore Store { get; } = store;

    public CrmPrincipal Principal { get; } = principal;

    public TenantView View { get; } = store.Current;

    public string TenantId => Store.TenantId;

    public MetadataSnapshot Metadata => View.Metadata;

    public TenantDbContext CreateContext() => View.CreateContext();
}
