using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Records;

/// <summary>
/// One caller working on one tenant: the principal, what it may do, the tenant's store, and the view
/// of its metadata pinned when the session began. Every engine operation takes one, and every read
/// and write checks its <see cref="Permissions"/>.
/// </summary>
public sealed class CrmSession(TenantStore store, CrmPrincipal principal, Permissions? permissions = null)
{
    public TenantStore Store { get; } = store;

    public CrmPrincipal Principal { get; } = principal;

    /// <summary>
    /// The principal's rights on this tenant. When not given they come from the credential's roles
    /// alone; the API passes the ones that include the tenant's role assignments.
    /// </summary>
    public Permissions Permissions { get; } = permissions ?? (principal.UserId == CrmPrincipal.SystemUserId ? Permissions.System(principal) : Permissions.FromCredential(principal));

    /// <summary>
    /// For a session of the engine's own identity that works for someone (a rule run or a plugin
    /// after-hook, for whoever made the change that triggered it): that principal's user id, which may
    /// own records and get notifications as the session's own principal may (<see cref="Identity.UserReferences"/>).
    /// </summary>
    public Guid? OnBehalfOf { get; init; }

    /// <summary>The metadata and context factory pinned for the session; a session made for the same work (with other rights) may share its caller's.</summary>
    public TenantView View { get; init; } = store.Current;

    public string TenantId => Store.TenantId;

    public MetadataSnapshot Metadata => View.Metadata;

    public TenantDbContext CreateContext() => View.CreateContext();
}
