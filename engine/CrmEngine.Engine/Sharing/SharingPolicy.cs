namespace CrmEngine.Engine.Sharing;

/// <summary>
/// A tenant's sharing settings, part of its identity snapshot: which lookups pass shares on, which
/// tie records to an organization, which users are external and whose organization they belong to,
/// and which users and teams hold any share at all (so a caller holding none pays nothing for sharing).
/// </summary>
public sealed class SharingPolicy
{
    public SharingPolicy(IReadOnlyList<ShareInheritanceRow> inheriting, IReadOnlyList<OrganizationLookupRow> organizationLookups, IReadOnlyList<ExternalUserRow> externalUsers, IReadOnlyCollection<Guid> shareHolders)
    {
        InheritingLookups = inheriting.GroupBy(r => r.Entity, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Field).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        OrganizationLookups = organizationLookups.GroupBy(r => r.Entity, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Field).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        ExternalUsers = externalUsers.ToDictionary(u => u.UserId);
        ShareHolders = shareHolders.ToHashSet();
    }

    public static SharingPolicy Empty { get; } = new([], [], [], []);

    /// <summary>Per entity, its lookups whose target's shares it inherits.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InheritingLookups { get; }

    /// <summary>Per entity, its lookups that name the organization a record belongs to.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> OrganizationLookups { get; }

    public IReadOnlyDictionary<Guid, ExternalUserRow> ExternalUsers { get; }

    /// <summary>Users and teams something is shared with.</summary>
    public IReadOnlySet<Guid> ShareHolders { get; }
}
