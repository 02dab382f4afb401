using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sdk.Identity;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>The SDK's read-only directory over the engine's <see cref="IdentityDirectory"/> (and, for seeds, its user and team writes).</summary>
internal sealed class DirectoryAdapter(TenantStore store, IdentityDirectory identities) : ISeedDirectory
{
    // The global id kind of teams (IdentityTypes.TeamType, internal to the GraphQL project).
    private const string TeamKind = "team";

    public Guid SystemUserId => CrmPrincipal.SystemUserId;

    public async Task<IReadOnlyList<CrmUser>> GetUsersAsync(CancellationToken cancellationToken = default)
    {
        var directory = await identities.GetAsync(store, cancellationToken);
        return directory.Users.Values.OrderBy(u => u.Email, StringComparer.Ordinal).Select(u => ToSdk(directory, u)).ToList();
    }

    public async Task<CrmUser?> GetUserAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var directory = await identities.GetAsync(store, cancellationToken);
        return directory.Users.TryGetValue(id, out var user) ? ToSdk(directory, user) : null;
    }

    public async Task<IReadOnlyList<CrmTeam>> GetTeamsAsync(CancellationToken cancellationToken = default)
    {
        var directory = await identities.GetAsync(store, cancellationToken);
        return directory.Teams.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => ToSdk(directory, t)).ToList();
    }

    public async Task<CrmTeam?> FindTeamAsync(string reference, CancellationToken cancellationToken = default)
    {
        var directory = await identities.GetAsync(store, cancellationToken);
        var team = GlobalId.TryRead(reference, TeamKind, out var id) && directory.Teams.TryGetValue(id, out var byId)
            ? byId
            : directory.Teams.Values.FirstOrDefault(t => string.Equals(t.Name, reference?.Trim(), StringComparison.Ordinal));
        return team is null ? null : ToSdk(directory, team);
    }

    public async Task<CrmUser> EnsureUserAsync(string email, string displayName, IReadOnlyList<string> roles, CancellationToken cancellationToken = default)
    {
        var directory = await identities.GetAsync(store, cancellationToken);
        var normalized = email.Trim().ToLowerInvariant();
        var existing = directory.Users.Values.FirstOrDefault(u => u.Email == normalized);
        var user = existing ?? await identities.CreateUserAsync(store, CrmPrincipal.SystemUserId, email, displayName, null, roles, cancellationToken);
        return (await GetUserAsync(user.Id, cancellationToken))!;
    }

    public async Task<CrmTeam> EnsureTeamAsync(string name, Guid? managerId, IReadOnlyList<Guid> memberIds, CancellationToken cancellationToken = default)
    {
        var existing = await FindTeamAsync(name, cancellationToken);
        var team = await identities.SaveTeamAsync(store, CrmPrincipal.SystemUserId, existing?.Id, name, managerId, memberIds, cancellationToken);
        return (await FindTeamAsync(team.Name, cancellationToken))!;
    }

    private static CrmUser ToSdk(TenantDirectory directory, UserRow user) =>
        new(user.Id, user.Email, user.DisplayName, user.Active, directory.RolesOfUser.GetValueOrDefault(user.Id) ?? [], directory.TeamsOf(user.Id).ToList());

    private static CrmTeam ToSdk(TenantDirectory directory, TeamRow team) =>
        new(team.Id, team.Name, team.ManagerId, directory.MembersOf(team.Id).ToList());
}
