using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Leads;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Activities;

/// <summary>
/// <c>overdueFollowUps</c>: per rep, the open leads, held accounts and open opportunities whose next
/// follow-up is past, most overdue first. Reps see their own; managers and admins anyone's or a team's.
/// </summary>
internal sealed class OverdueFollowUps : IPluginOperation
{
    public string Name => "overdueFollowUps";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "What each rep must follow up: leads, accounts and opportunities whose next follow-up is past, most overdue first.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("ownerId", TypeRef.Id, "One rep (managers and admins; reps always see their own)."),
        new("teamId", TypeRef.Id, "The reps of one team (managers and admins)."),
        new("asOf", TypeRef.DateTime, "The moment to measure against; now when omitted."),
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Object("RepFollowUps",
        new FieldRef("ownerId", TypeRef.UserId.NonNull()),
        new FieldRef("ownerName", TypeRef.String),
        new FieldRef("items", TypeRef.ListOf(TypeRef.Object("FollowUpItem",
            new FieldRef("entity", TypeRef.String.NonNull(), "lead, account or opportunity."),
            new FieldRef("dueAt", TypeRef.DateTime.NonNull()),
            new FieldRef("daysOverdue", TypeRef.Int.NonNull()),
            new FieldRef("lead", TypeRef.Entity(LeadEntity.Name)),
            new FieldRef("account", TypeRef.Entity(AccountEntity.Name)),
            new FieldRef("opportunity", TypeRef.Entity(OpportunityEntity.Name)))).NonNull()))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var asOf = context.Argument<DateTime?>("asOf")?.ToUniversalTime() ?? DateTime.UtcNow;
        var owners = await OwnersAsync(context, settings, cancellationToken);
        var ownerCondition = owners is null ? null : Condition.In("ownerId", owners.Select(o => (object?)o));
        var due = Condition.Lt("nextFollowUpAt", asOf);
        var items = new List<(Guid Owner, Dictionary<string, object?> Item)>();
        await CollectAsync(context, LeadEntity.Name, due.And(Condition.In("status", LeadEntity.OpenStatuses)), ownerCondition, asOf, items, cancellationToken);
        await CollectAsync(context, AccountEntity.Name, due.And(Condition.Ne("inPool", true)), ownerCondition, asOf, items, cancellationToken);
        await CollectAsync(context, OpportunityEntity.Name, due.And(Condition.Eq("status", "open")), ownerCondition, asOf, items, cancellationToken);

        var users = (await context.Directory.GetUsersAsync(cancellationToken)).ToDictionary(u => u.Id);
        return items.GroupBy(i => i.Owner)
            .OrderBy(g => users.GetValueOrDefault(g.Key)?.DisplayName ?? g.Key.ToString(), StringComparer.Ordinal)
            .Select(g => new Dictionary<string, object?>
            {
                ["ownerId"] = g.Key,
                ["ownerName"] = users.GetValueOrDefault(g.Key)?.DisplayName,
                ["items"] = g.Select(i => i.Item).OrderBy(i => (DateTime)i["dueAt"]!).ToList(),
            }).ToList();
    }

    /// <summary>Whose follow-ups to list; null for everyone.</summary>
    private static async Task<IReadOnlyCollection<Guid>?> OwnersAsync(IOperationContext context, SalesSettings settings, CancellationToken cancellationToken)
    {
        var owner = context.Arguments.GetValueOrDefault("ownerId") is string { Length: > 0 } ? context.UserId("ownerId") : (Guid?)null;
        var team = context.Arguments.GetValueOrDefault("teamId") is string { Length: > 0 } reference
            ? await context.Directory.FindTeamAsync(reference, cancellationToken) ?? throw new OperationException(SalesErrors.NotFound, $"There is no team '{reference}'.", "teamId")
            : null;
        var manager = context.Identity.IsAdmin || await Reps.HasManagerRoleAsync(context.Identity, context.Directory, settings, cancellationToken)
            || (team is not null && team.ManagerId == context.Identity.UserId);
        if (!manager && ((owner is not null && owner != context.Identity.UserId) || team is not null))
        {
            throw new OperationException(SalesErrors.Forbidden, "Only managers see other reps' follow-ups.", owner is null ? "teamId" : "ownerId");
        }

        if (team is not null)
        {
            return Reps.TeamReach(team).Where(u => owner is null || u == owner).ToList();
        }

        return owner is { } one ? [one] : manager ? null : [context.Identity.UserId];
    }

    private static async Task CollectAsync(IOperationContext context, string entity, Condition where, Condition? owners, DateTime asOf, List<(Guid, Dictionary<string, object?>)> items, CancellationToken cancellationToken)
    {
        await foreach (var record in context.Records.QueryAllAsync(entity, owners is null ? where : where.And(owners), [SortBy.Asc("nextFollowUpAt")], cancellationToken))
        {
            var dueAt = record.GetValue<DateTime>("nextFollowUpAt");
            items.Add((record.OwnerId ?? Guid.Empty, new Dictionary<string, object?>
            {
                ["entity"] = entity,
                ["dueAt"] = dueAt,
                ["daysOverdue"] = (int)Math.Floor((asOf - dueAt).TotalDays),
                [entity] = record,
            }));
        }
    }
}
