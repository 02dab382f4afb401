using CrmEngine.Engine.Sharing;

namespace CrmEngine.Engine.Identity;

/// <summary>
/// What one principal may do on one tenant: the union of its roles (the credential's and, for users,
/// those assigned to them). Scopes take the widest any role grants; a field is hidden only when
/// every role that can see the entity hides it.
/// </summary>
public sealed class Permissions
{
    private readonly IReadOnlyList<RoleDefinition> _roles;
    private readonly Lazy<IReadOnlySet<Guid>> _teamReach;
    private readonly Lazy<IReadOnlyList<Guid>> _sharePrincipals;

    public Permissions(CrmPrincipal principal, TenantDirectory directory)
    {
        Principal = principal;
        var names = principal.Roles.Concat(directory.RolesOfUser.GetValueOrDefault(principal.UserId) ?? []).Distinct(StringComparer.Ordinal);
        _roles = names.Select(n => directory.Roles.GetValueOrDefault(n) ?? RoleDefinition.BuiltIns.FirstOrDefault(b => b.Name == n)).OfType<RoleDefinition>().ToList();
        Sharing = directory.Sharing;
        External = directory.Sharing.ExternalUsers.GetValueOrDefault(principal.UserId);
        // An external user is never an admin, whatever role or key says so: admin rights reach every organization.
        IsAdmin = External is null && _roles.Any(r => r.Admin);
        _teamReach = new Lazy<IReadOnlySet<Guid>>(() => directory.TeamReach(principal.UserId));
        _sharePrincipals = new Lazy<IReadOnlyList<Guid>>(() => directory.TeamsOf(principal.UserId).Prepend(principal.UserId).ToList());
        HoldsShares = directory.Sharing.ShareHolders.Count > 0 && SharePrincipals.Any(directory.Sharing.ShareHolders.Contains);
    }

    /// <summary>Everything, for the engine's own work (seeds, jobs, system rules).</summary>
    public static Permissions System(CrmPrincipal principal) => new(principal with { Roles = [CrmPrincipal.AdminRole] }, TenantDirectory.Empty);

    /// <summary>What the credential's own roles grant, without the tenant's role assignments.</summary>
    public static Permissions FromCredential(CrmPrincipal principal) => new(principal, TenantDirectory.Empty);

    public CrmPrincipal Principal { get; }

    /// <summary>The names of the roles the principal holds (the credential's and the tenant's assignments).</summary>
    public IEnumerable<string> RoleNames => _roles.Select(r => r.Name);

    public bool IsAdmin { get; }

    /// <summary>The organization of an external user; null for the tenant's own people.</summary>
    public ExternalUserRow? External { get; }

    /// <summary>The tenant's sharing settings this principal is judged by.</summary>
    public SharingPolicy Sharing { get; }

    /// <summary>Whom a share must name to reach this principal: the user and their teams.</summary>
    public IReadOnlyList<Guid> SharePrincipals => _sharePrincipals.Value;

    /// <summary>Whether anything is shared with the user or one of their teams; when not, reads carry no share predicate at all.</summary>
    public bool HoldsShares { get; }

    /// <summary>The owners whose records a "team" scope covers.</summary>
    public IReadOnlySet<Guid> TeamReach => _teamReach.Value;

    public AccessScope Scope(string entity, RecordAction action)
    {
        if (IsAdmin)
        {
            return AccessScope.All;
        }

        var scope = _roles.Select(r => r.For(entity)?.For(action) ?? AccessScope.None).DefaultIfEmpty(AccessScope.None).Max();
        // An external user reaches at most their organization's records, whatever a role grants; an
        // internal user has no organization, so the scope reaches what is shared with them only.
        return External is not null && scope > AccessScope.Organization ? AccessScope.Organization : scope;
    }

    public bool CanRead(string entity, string field) => CanUse(entity, field, RecordAction.Read, p => p.Read);

    /// <summary>Whether the field may be set by a create (<see cref="RecordAction.Create"/>) or an update.</summary>
    public bool CanWrite(string entity, string field, RecordAction action) => CanUse(entity, field, action, p => p.Write);

    /// <summary>Whether a record owned by <paramref name="owner"/> is within <paramref name="scope"/> for this principal.</summary>
    public bool Covers(AccessScope scope, Guid? owner) => scope switch
    {
        AccessScope.All => true,
        AccessScope.Team => owner is { } id && TeamReach.Contains(id),
        AccessScope.Own => owner == Principal.UserId,
        AccessScope.Organization => owner == Principal.UserId && External is not null,
        _ => false,
    };

    /// <summary>Refuses unless the principal may read the field; filters, sorts, groups and searches need that too.</summary>
    public void EnsureReadable(string entity, string field)
    {
        if (!CanRead(entity, field))
        {
            throw new Errors.CrmException(Errors.ErrorCodes.Forbidden, $"You can't read '{field}' of {entity}, so you can't filter, sort, group or aggregate by it either.", field);
        }
    }

    // Asked once per field of every record a page returns: answered from the roles once per request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Entity, string Field, RecordAction Action), bool> _fieldUse = new();

    private bool CanUse(string entity, string field, RecordAction action, Func<FieldGrant, bool> allowed) =>
        IsAdmin || _fieldUse.GetOrAdd((entity, field, action), key => _roles.Any(r => (r.For(key.Entity)?.For(key.Action) ?? AccessScope.None) != AccessScope.None
            && (r.Fields.GetValueOrDefault(key.Entity + "." + key.Field) is not { } restriction || allowed(restriction))));
}
