using System.Text.Json;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Sharing;

namespace CrmEngine.Engine.Identity;

/// <summary>
/// A tenant's users, teams and roles as one immutable snapshot, loaded once and replaced whenever
/// they change, so permission checks never touch the database.
/// </summary>
public sealed class TenantDirectory
{
    private readonly Dictionary<Guid, HashSet<Guid>> _teamsOfUser;
    private readonly Dictionary<Guid, HashSet<Guid>> _membersOfTeam;

    public TenantDirectory(IReadOnlyList<UserRow> users, IReadOnlyList<TeamRow> teams, IReadOnlyList<TeamMemberRow> members, IReadOnlyList<RoleRow> roles, IReadOnlyList<UserRoleRow> userRoles, SharingPolicy? sharing = null)
    {
        Sharing = sharing ?? SharingPolicy.Empty;
        Users = users.ToDictionary(u => u.Id);
        Teams = teams.ToDictionary(t => t.Id);
        Roles = roles.Select(r => JsonSerializer.Deserialize<RoleDefinition>(r.Definition, MetadataJson.Options)!).ToDictionary(r => r.Name, StringComparer.Ordinal);
        RolesOfUser = userRoles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Role).ToList());
        _membersOfTeam = teams.ToDictionary(t => t.Id, t => members.Where(m => m.TeamId == t.Id).Select(m => m.UserId).ToHashSet());
        _teamsOfUser = members.GroupBy(m => m.UserId).ToDictionary(g => g.Key, g => g.Select(m => m.TeamId).ToHashSet());
    }

    /// <summary>No users, teams or tenant roles: permissions then come from the credential's built-in roles alone.</summary>
    public static TenantDirectory Empty { get; } = new([], [], [], [], []);

    public IReadOnlyDictionary<Guid, UserRow> Users { get; }

    /// <summary>Shares' reach and external users (docs/sharing-and-external-users.md).</summary>
    public SharingPolicy Sharing { get; }

    public IReadOnlyDictionary<Guid, TeamRow> Teams { get; }

    public IReadOnlyDictionary<string, RoleDefinition> Roles { get; }

    public IReadOnlyDictionary<Guid, IReadOnlyList<string>> RolesOfUser { get; }

    public IEnumerable<Guid> MembersOf(Guid teamId) => _membersOfTeam.GetValueOrDefault(teamId) ?? [];

    public IEnumerable<Guid> TeamsOf(Guid userId) => _teamsOfUser.GetValueOrDefault(userId) ?? [];

    /// <summary>
    /// Whose records "team" scope covers for a user: everyone in the teams they belong to or
    /// manage, themselves included.
    /// </summary>
    public IReadOnlySet<Guid> TeamReach(Guid userId)
    {
        var teams = TeamsOf(userId).Concat(Teams.Values.Where(t => t.ManagerId == userId).Select(t => t.Id));
        var reach = teams.SelectMany(MembersOf).Concat(Teams.Values.Where(t => teams.Contains(t.Id) && t.ManagerId is not null).Select(t => t.ManagerId!.Value)).ToHashSet();
        reach.Add(userId);
        return reach;
    }
}
