using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.Sdk.Approvals;

namespace CrmEngine.Approvals.Requests;

/// <summary>
/// Turns a step's approvers into users when a request reaches the step: holders of a role, the
/// managers of the owner's teams, a named user, a team's members, or those a plugin picks. Only
/// active users count, and the record's owner only when the process lets owners approve.
/// </summary>
public sealed class ApproverResolver(IdentityDirectory identities, RecordApiFactory plugins)
{
    public async Task<IReadOnlyList<Guid>> ResolveAsync(CrmSession session, RecordData record, IReadOnlyList<Approver> approvers, bool ownerMayApprove, CancellationToken cancellationToken)
    {
        var directory = await identities.GetAsync(session.Store, cancellationToken);
        var users = new HashSet<Guid>();
        foreach (var approver in approvers)
        {
            users.UnionWith(approver.Kind switch
            {
                ApproverKind.Role => directory.Users.Keys.Where(u => directory.RolesOfUser.GetValueOrDefault(u)?.Contains(approver.Reference, StringComparer.Ordinal) == true),
                ApproverKind.OwnersManager => record.OwnerId is { } owner
                    ? directory.TeamsOf(owner).Select(t => directory.Teams.GetValueOrDefault(t)?.ManagerId).OfType<Guid>()
                    : [],
                ApproverKind.User => FindUser(directory, approver.Reference) is { } user ? [user] : [],
                ApproverKind.Team => FindTeam(directory, approver.Reference) is { } team ? directory.MembersOf(team) : [],
                ApproverKind.Resolved when approver.Resolve is { } resolve => await resolve(new ApproverContext(RecordApiFactory.Present(record), plugins.Privileged(session), plugins.Directory(session)), cancellationToken),
                _ => [],
            });
        }

        return users.Where(u => directory.Users.TryGetValue(u, out var row) && row.Active && (ownerMayApprove || u != record.OwnerId)).Order().ToList();
    }

    /// <summary>A user by id or e-mail address.</summary>
    public static Guid? FindUser(TenantDirectory directory, string? reference) =>
        Guid.TryParse(reference, out var id) && directory.Users.ContainsKey(id) ? id
        : directory.Users.Values.FirstOrDefault(u => string.Equals(u.Email, reference?.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;

    /// <summary>A team by id or name.</summary>
    public static Guid? FindTeam(TenantDirectory directory, string? reference) =>
        Guid.TryParse(reference, out var id) && directory.Teams.ContainsKey(id) ? id
        : directory.Teams.Values.FirstOrDefault(t => string.Equals(t.Name, reference?.Trim(), StringComparison.Ordinal))?.Id;
}
