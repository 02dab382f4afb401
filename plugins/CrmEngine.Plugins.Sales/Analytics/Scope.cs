using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>The owner, team and period filters the analytics share.</summary>
internal sealed record Scope(IReadOnlyCollection<Guid>? Owners, Sdk.Identity.CrmTeam? Team)
{
    public static readonly OperationArgument[] Arguments =
    [
        new("ownerId", TypeRef.Id, "Only this rep's records."),
        new("teamId", TypeRef.Id, "Only the records of this team's members and manager (id, global id or name)."),
    ];

    public static async Task<Scope> ReadAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var team = context.Arguments.GetValueOrDefault("teamId") is string { Length: > 0 } reference
            ? await context.Directory.FindTeamAsync(reference, cancellationToken) ?? throw new OperationException(SalesErrors.NotFound, $"There is no team '{reference}'.", "teamId")
            : null;
        var owner = context.Arguments.GetValueOrDefault("ownerId") is string { Length: > 0 } ? context.UserId("ownerId") : (Guid?)null;
        IReadOnlyCollection<Guid>? owners = team is null ? null : Settings.Reps.TeamReach(team);
        if (owner is { } one)
        {
            owners = owners is null || owners.Contains(one) ? [one] : [];
        }

        return new Scope(owners, team);
    }

    public Condition And(Condition where) => Owners is null ? where : where.And(Condition.In("ownerId", Owners.Select(o => (object?)o)));
}
