using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// <c>salesScorecard</c> (销售业绩记分卡) per period, for each rep or each team: won amount and
/// count, lost count, win rate = won / (won + lost), average deal size = won amount / won count,
/// average sales cycle = days from the opportunity's first stage entry to its close date (won deals),
/// completed activities, target and attainment = won amount / target, the rank by won amount, and
/// the change of won amount against the period before. Deals count in the period of their close
/// date; activities in the period of their time, in the tenant's sales time zone.
/// </summary>
internal sealed class SalesScorecard : IPluginOperation
{
    private static readonly TypeRef Row = TypeRef.Object("ScorecardRow",
        new FieldRef("ownerId", TypeRef.UserId, "The rep, on a rep's row."),
        new FieldRef("teamId", TypeRef.Id, "The team, on a team's row: its id, as a target's teamId holds it."),
        new FieldRef("name", TypeRef.String, "The rep's or team's name; null on the total row."),
        new FieldRef("rank", TypeRef.Int, "1 for the highest won amount (ties by name); null on the total row."),
        new FieldRef("wonAmount", TypeRef.Decimal.NonNull()),
        new FieldRef("wonCount", TypeRef.Int.NonNull()),
        new FieldRef("lostCount", TypeRef.Int.NonNull()),
        new FieldRef("winRate", TypeRef.Decimal, "won / (won + lost), to 4 places; null without closed deals."),
        new FieldRef("averageDealSize", TypeRef.Decimal, "won amount / won count, to cents."),
        new FieldRef("averageCycleDays", TypeRef.Decimal, "Days from first stage entry to close of the won deals, on average, to 2 places."),
        new FieldRef("activities", TypeRef.Int.NonNull(), "Completed activities in the period."),
        new FieldRef("target", TypeRef.Decimal, "The rep's own targets in the period (the team's on a team's row; their sum on the total row)."),
        new FieldRef("attainment", TypeRef.Decimal, "won amount / target, to 4 places."),
        new FieldRef("previousWonAmount", TypeRef.Decimal.NonNull(), "The won amount of the period before."),
        new FieldRef("wonAmountChange", TypeRef.Decimal, "(won − previous) / previous, to 4 places; null when the period before won nothing."));

    public string Name => "salesScorecard";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Rep and team scorecards (销售业绩记分卡) per month, quarter or year: won, lost, win rate, deal size, cycle, activities, attainment, rank and trend.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("period", TypeRef.Enum("ScorecardPeriod", "MONTH", "QUARTER", "YEAR").NonNull()),
        new("from", TypeRef.Date, "A day in the first period; today (tenant time zone) when omitted."),
        new("to", TypeRef.Date, "A day in the last period; the first period when omitted."),
        new("groupBy", TypeRef.Enum("ScorecardGrouping", "REP", "TEAM"), "A row per rep (the default) or per team."),
        .. Scope.Arguments,
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Object("ScorecardPeriodFigures",
        new FieldRef("period", TypeRef.String.NonNull(), "2026-Q3, 2026-07 or 2026."),
        new FieldRef("start", TypeRef.Date.NonNull()),
        new FieldRef("end", TypeRef.Date.NonNull(), "The first day after the period."),
        new FieldRef("rows", TypeRef.ListOf(Row).NonNull(), "By rank."),
        new FieldRef("total", Row.NonNull()))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var period = context.Argument<string>("period")!;
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var (first, end) = Periods.Range(context, period, settings.Zone, periodsWithoutTo: 1);
        var scope = await Scope.ReadAsync(context, cancellationToken);
        var byTeam = context.Argument<string>("groupBy") == "TEAM";
        var users = (await context.Directory.GetUsersAsync(cancellationToken)).ToDictionary(u => u.Id);
        var teams = byTeam
            ? (scope.Team is { } only ? [only] : await context.Directory.GetTeamsAsync(cancellationToken))
            : [];

        // One period before the first, for the trend.
        var before = Previous(period, first);
        var facts = await ScorecardFacts.LoadAsync(context, scope, before, end, settings.Zone, cancellationToken);

        var result = new List<Dictionary<string, object?>>();
        for (var start = first; start < end; start = Periods.Next(period, start))
        {
            var next = Periods.Next(period, start);
            var now = facts.In(start, next);
            var then = facts.In(Previous(period, start), start);
            var groups = byTeam
                ? teams.Select(t => new Group(null, t.Id, t.Name, Reps.TeamReach(t), now.TeamTarget(t.Id))).ToList()
                : Owners(now, scope).Select(o => new Group(o, null, users.GetValueOrDefault(o)?.DisplayName, new HashSet<Guid> { o }, now.OwnTarget(o))).ToList();
            var rows = groups
                .Select(g => Figures(g, now.Of(g.Members), then.Of(g.Members)))
                .OrderByDescending(r => (decimal)r["wonAmount"]!)
                .ThenBy(r => r["name"] as string ?? string.Empty, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i]["rank"] = i + 1;
            }

            var targets = groups.Where(g => g.Target is not null).Select(g => g.Target!.Value).ToList();
            var total = Figures(new Group(null, null, null, null, targets.Count == 0 ? null : targets.Sum()), now, then);
            total["rank"] = null;
            result.Add(new Dictionary<string, object?>
            {
                ["period"] = Periods.Label(period, start),
                ["start"] = start,
                ["end"] = next,
                ["rows"] = rows,
                ["total"] = total,
            });
        }

        return result;
    }

    private static DateOnly Previous(string period, DateOnly start) => period switch
    {
        "MONTH" => start.AddMonths(-1),
        "QUARTER" => start.AddMonths(-3),
        _ => start.AddYears(-1),
    };

    /// <summary>The reps with anything in the period (a deal, an activity or a target of their own), within the scope.</summary>
    private static IEnumerable<Guid> Owners(ScorecardFacts now, Scope scope) =>
        now.Owners()
            .Where(o => scope.Owners is null || scope.Owners.Contains(o))
            .Distinct();

    private static Dictionary<string, object?> Figures(Group group, ScorecardFacts now, ScorecardFacts then)
    {
        var wonAmount = now.Won.Sum(d => d.Amount);
        var previous = then.Won.Sum(d => d.Amount);
        var won = now.Won.Count;
        var closed = won + now.LostCount;
        var cycles = now.Won.Where(d => d.CycleDays is not null).Select(d => (decimal)d.CycleDays!.Value).ToList();
        return new Dictionary<string, object?>
        {
            ["ownerId"] = group.Owner,
            ["teamId"] = group.Team,
            ["name"] = group.Name,
            ["wonAmount"] = wonAmount,
            ["wonCount"] = won,
            ["lostCount"] = now.LostCount,
            ["winRate"] = closed == 0 ? null : Ratio(won, closed),
            ["averageDealSize"] = won == 0 ? null : MoneyMath.Round(wonAmount / won),
            ["averageCycleDays"] = cycles.Count == 0 ? null : Math.Round(cycles.Average(), 2, MidpointRounding.AwayFromZero),
            ["activities"] = now.Activities,
            ["target"] = group.Target,
            ["attainment"] = group.Target is > 0 ? Ratio(wonAmount, group.Target.Value) : null,
            ["previousWonAmount"] = previous,
            ["wonAmountChange"] = previous == 0m ? null : Ratio(wonAmount - previous, previous),
        };
    }

    private static decimal Ratio(decimal part, decimal whole) => Math.Round(part / whole, 4, MidpointRounding.AwayFromZero);

    /// <summary>A row's reps (null on the total row: everything in scope) and its target.</summary>
    private sealed record Group(Guid? Owner, Guid? Team, string? Name, IReadOnlySet<Guid>? Members, decimal? Target);
}

/// <summary>The closed deals, completed activities and targets a scorecard reads, narrowed by period and reps.</summary>
internal sealed class ScorecardFacts
{
    private ScorecardFacts(IReadOnlyList<ClosedDeal> deals, IReadOnlyList<(Guid Owner, DateOnly Day)> activities, IReadOnlyList<Target> targets)
    {
        Deals = deals;
        ActivityDays = activities;
        Targets = targets;
    }

    public IReadOnlyList<ClosedDeal> Deals { get; }

    public IReadOnlyList<(Guid Owner, DateOnly Day)> ActivityDays { get; }

    public IReadOnlyList<Target> Targets { get; }

    public List<ClosedDeal> Won => [.. Deals.Where(d => d.Won)];

    public int LostCount => Deals.Count(d => !d.Won);

    public int Activities => ActivityDays.Count;

    public static async Task<ScorecardFacts> LoadAsync(IOperationContext context, Scope scope, DateOnly from, DateOnly end, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var closed = new List<CrmRecord>();
        await foreach (var o in records.QueryAllAsync(OpportunityEntity.Name, scope.And(Condition.All(Condition.In("status", ["won", "lost"]), Condition.Gte("closedOn", from), Condition.Lt("closedOn", end))), cancellationToken: cancellationToken))
        {
            closed.Add(o);
        }

        // The sales cycle starts when the opportunity first entered a stage (its opening), as its stage history records.
        var opened = new Dictionary<Guid, DateTime>();
        if (closed.Count > 0)
        {
            var ids = closed.Select(o => (object?)o.Id).ToList();
            await foreach (var stay in records.QueryAllAsync(StageHistoryEntity.Name, Condition.In("opportunity", ids), cancellationToken: cancellationToken))
            {
                var opportunity = stay.GetValue<Guid>("opportunity");
                var entered = stay.GetValue<DateTime>("enteredAt");
                if (!opened.TryGetValue(opportunity, out var earliest) || entered < earliest)
                {
                    opened[opportunity] = entered;
                }
            }
        }

        var deals = closed.Select(o =>
        {
            var closedOn = o.GetValue<DateOnly>("closedOn");
            int? cycle = opened.TryGetValue(o.Id, out var entered) ? closedOn.DayNumber - Periods.Today(entered, zone).DayNumber : null;
            return new ClosedDeal(o.OwnerId ?? Guid.Empty, closedOn, o.GetValue<string>("status") == "won", MoneyMath.AmountOf(o, "amount"), cycle);
        }).ToList();

        var activities = new List<(Guid, DateOnly)>();
        await foreach (var a in records.QueryAllAsync(ActivityEntity.Name, scope.And(Condition.All(Condition.Eq("status", "done"), Condition.Gte("occurredAt", Periods.StartOf(from, zone)), Condition.Lt("occurredAt", Periods.StartOf(end, zone)))), cancellationToken: cancellationToken))
        {
            activities.Add((a.OwnerId ?? Guid.Empty, Periods.Today(a.GetValue<DateTime>("occurredAt"), zone)));
        }

        var targets = new List<Target>();
        await foreach (var t in records.QueryAllAsync(TargetEntity.Name, Condition.Gte("periodStart", from).And(Condition.Lt("periodStart", end)), cancellationToken: cancellationToken))
        {
            var team = t.GetValue<string>("teamId") is { } teamId && Guid.TryParse(teamId, out var parsed) ? parsed : (Guid?)null;
            targets.Add(new Target(t.OwnerId ?? Guid.Empty, team, t.GetValue<DateOnly>("periodStart"), TargetEntity.End(t), MoneyMath.AmountOf(t, "amount")));
        }

        return new ScorecardFacts(deals, activities, targets);
    }

    /// <summary>What falls in [start, next): deals by close date, activities by day, targets wholly inside.</summary>
    public ScorecardFacts In(DateOnly start, DateOnly next) => new(
        [.. Deals.Where(d => d.ClosedOn >= start && d.ClosedOn < next)],
        [.. ActivityDays.Where(a => a.Day >= start && a.Day < next)],
        [.. Targets.Where(t => t.Start >= start && t.End <= next)]);

    /// <summary>The deals and activities of these reps (all when null); targets stay as they are.</summary>
    public ScorecardFacts Of(IReadOnlySet<Guid>? members) => members is null
        ? this
        : new([.. Deals.Where(d => members.Contains(d.Owner))], [.. ActivityDays.Where(a => members.Contains(a.Owner))], Targets);

    public IEnumerable<Guid> Owners() =>
        Deals.Select(d => d.Owner).Concat(ActivityDays.Select(a => a.Owner)).Concat(Targets.Where(t => t.Team is null).Select(t => t.Owner));

    public decimal? OwnTarget(Guid owner) => SumOrNull(Targets.Where(t => t.Team is null && t.Owner == owner));

    public decimal? TeamTarget(Guid team) => SumOrNull(Targets.Where(t => t.Team == team));

    private static decimal? SumOrNull(IEnumerable<Target> targets)
    {
        var list = targets.ToList();
        return list.Count == 0 ? null : list.Sum(t => t.Amount);
    }

    /// <summary>A won or lost opportunity: its rep, close date, amount and cycle in days (when its stage history tells).</summary>
    internal sealed record ClosedDeal(Guid Owner, DateOnly ClosedOn, bool Won, decimal Amount, int? CycleDays);

    internal sealed record Target(Guid Owner, Guid? Team, DateOnly Start, DateOnly End, decimal Amount);
}
