using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Settings;

/// <summary>A rep as assignment and the pool see them: an active user with a sales rep profile.</summary>
internal sealed record Rep(Guid UserId, string Name, bool AcceptsLeads, IReadOnlyList<string> Regions, long? MaxAccounts, decimal? CommissionRate)
{
    public long Quota(SalesSettings settings) => MaxAccounts ?? settings.MaxAccountsPerRep;

    public bool Covers(string? province, string? city) =>
        Regions.Any(r => (province is not null && province.Contains(r, StringComparison.OrdinalIgnoreCase)) || (city is not null && city.Contains(r, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>The tenant's reps, and who manages whom (team managers, the manager role, admins).</summary>
internal static class Reps
{
    private static readonly char[] Separators = [',', '，', '、', ';', '；'];

    public static async Task<IReadOnlyList<Rep>> ActiveAsync(IRecordApi records, IUserDirectory directory, CancellationToken cancellationToken)
    {
        var users = (await directory.GetUsersAsync(cancellationToken)).Where(u => u.Active).ToDictionary(u => u.Id);
        var reps = new List<Rep>();
        await foreach (var profile in records.QueryAllAsync(SalesRepEntity.Name, cancellationToken: cancellationToken))
        {
            if (profile.OwnerId is { } owner && users.TryGetValue(owner, out var user))
            {
                reps.Add(new Rep(
                    owner,
                    profile.GetValue<string>("name") ?? user.DisplayName,
                    profile.GetValue<bool?>("acceptsLeads") ?? true,
                    (profile.GetValue<string>("regions") ?? string.Empty).Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    profile.GetValue<long?>("maxAccounts"),
                    profile.GetValue<decimal?>("commissionRate")));
            }
        }

        return reps;
    }

    public static async Task<Rep?> FindAsync(IRecordApi records, IUserDirectory directory, Guid userId, CancellationToken cancellationToken) =>
        (await ActiveAsync(records, directory, cancellationToken)).FirstOrDefault(r => r.UserId == userId);

    /// <summary>Whether <paramref name="identity"/> manages <paramref name="userId"/>: an admin, a holder of the manager role, or the manager of one of the user's teams.</summary>
    public static async Task<bool> ManagesAsync(ICrmIdentity identity, IUserDirectory directory, SalesSettings settings, Guid? userId, CancellationToken cancellationToken)
    {
        if (identity.IsAdmin || await HasManagerRoleAsync(identity, directory, settings, cancellationToken))
        {
            return true;
        }

        return userId is { } user && (await directory.GetTeamsAsync(cancellationToken)).Any(t => t.ManagerId == identity.UserId && t.MemberIds.Contains(user));
    }

    /// <summary>Whether the shared pool serves the caller: reps claim from it; admins, holders of the manager role and team managers assign from it.</summary>
    public static async Task<bool> WorkThePoolAsync(IOperationContext context, SalesSettings settings, CancellationToken cancellationToken) =>
        await FindAsync(context.PrivilegedRecords, context.Directory, context.Identity.UserId, cancellationToken) is not null
        || await ManagesAsync(context.Identity, context.Directory, settings, null, cancellationToken)
        || (await context.Directory.GetTeamsAsync(cancellationToken)).Any(t => t.ManagerId == context.Identity.UserId);

    public static async Task<bool> HasManagerRoleAsync(ICrmIdentity identity, IUserDirectory directory, SalesSettings settings, CancellationToken cancellationToken) =>
        identity.Roles.Contains(settings.ManagerRole, StringComparer.Ordinal)
        || (await directory.GetUserAsync(identity.UserId, cancellationToken))?.Roles.Contains(settings.ManagerRole, StringComparer.Ordinal) == true;

    /// <summary>The members of a team and its manager (for team filters).</summary>
    public static IReadOnlySet<Guid> TeamReach(CrmTeam team)
    {
        var reach = team.MemberIds.ToHashSet();
        if (team.ManagerId is { } manager)
        {
            reach.Add(manager);
        }

        return reach;
    }
}
