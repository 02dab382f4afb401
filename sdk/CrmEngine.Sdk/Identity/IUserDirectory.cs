namespace CrmEngine.Sdk.Identity;

/// <summary>A user of the tenant, as the engine's directory knows them.</summary>
/// <param name="Id">The user id (records' ownerId).</param>
/// <param name="Email">The e-mail address, lower case.</param>
/// <param name="DisplayName">The name to show.</param>
/// <param name="Active">False for users who may no longer sign in.</param>
/// <param name="Roles">The roles assigned to the user.</param>
/// <param name="TeamIds">The teams the user is a member of.</param>
public sealed record CrmUser(Guid Id, string Email, string DisplayName, bool Active, IReadOnlyList<string> Roles, IReadOnlyList<Guid> TeamIds);

/// <summary>A team of the tenant.</summary>
/// <param name="Id">The team id.</param>
/// <param name="Name">Its unique name.</param>
/// <param name="ManagerId">Its manager, if any.</param>
/// <param name="MemberIds">Its members.</param>
public sealed record CrmTeam(Guid Id, string Name, Guid? ManagerId, IReadOnlyList<Guid> MemberIds);

/// <summary>
/// The tenant's users and teams, read-only: who may be assigned records, who manages whom. Reads
/// come from the engine's in-memory directory, so they are cheap.
/// </summary>
public interface IUserDirectory
{
    /// <summary>The engine's own user, which acts for jobs and seeds and may own records no person holds.</summary>
    Guid SystemUserId { get; }

    /// <summary>Every user, active or not.</summary>
    Task<IReadOnlyList<CrmUser>> GetUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>A user by id, or null.</summary>
    Task<CrmUser?> GetUserAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Every team.</summary>
    Task<IReadOnlyList<CrmTeam>> GetTeamsAsync(CancellationToken cancellationToken = default);

    /// <summary>A team by id, global id or name, or null.</summary>
    Task<CrmTeam?> FindTeamAsync(string reference, CancellationToken cancellationToken = default);
}

/// <summary>The directory as seed data sees it: it may also add the users and teams a demo data set needs.</summary>
public interface ISeedDirectory : IUserDirectory
{
    /// <summary>The user with this e-mail address, created with the display name and roles when there is none.</summary>
    Task<CrmUser> EnsureUserAsync(string email, string displayName, IReadOnlyList<string> roles, CancellationToken cancellationToken = default);

    /// <summary>The team with this name, created (or its manager and members set) as given.</summary>
    Task<CrmTeam> EnsureTeamAsync(string name, Guid? managerId, IReadOnlyList<Guid> memberIds, CancellationToken cancellationToken = default);
}
