using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// <c>salesForecast</c> (销售预测) per period and owner: open opportunities expected to close in the
/// period give the pipeline (Σ amount, omitted ones left out), the weighted pipeline (Σ amount ×
/// probability) and the open commit and best-case amounts by forecast category; opportunities won
/// in the period give closedWon. Commit = closedWon + open commit; bestCase = commit + open best
/// case. Each owner's row carries their own targets for the period, the total row the team's.
/// </summary>
internal sealed class SalesForecast : IPluginOperation
{
    private static readonly TypeRef Figures = TypeRef.Object("ForecastFigures",
        new FieldRef("ownerId", TypeRef.UserId, "The rep; null on the total row."),
        new FieldRef("ownerName", TypeRef.String),
        new FieldRef("pipeline", TypeRef.Decimal.NonNull()),
        new FieldRef("weighted", TypeRef.Decimal.NonNull()),
        new FieldRef("commit", TypeRef.Decimal.NonNull()),
        new FieldRef("bestCase", TypeRef.Decimal.NonNull()),
        new FieldRef("closedWon", TypeRef.Decimal.NonNull()),
        new FieldRef("target", TypeRef.Decimal, "The rep's targets in the period (the team's on the total row of a team forecast)."),
        new FieldRef("attainment", TypeRef.Decimal, "closedWon / target, to 4 places."));

    public string Name => "salesForecast";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The sales forecast (销售预测) per month or quarter and owner: pipeline, weighted, commit, best case and won, against targets.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("period", TypeRef.Enum("ForecastPeriod", "MONTH", "QUARTER", "YEAR").NonNull()),
        new("from", TypeRef.Date, "A day in the first period; today (tenant time zone) when omitted."),
        new("to", TypeRef.Date, "A day in the last period; three periods after the first when omitted."),
        .. Scope.Arguments,
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Object("ForecastPeriodFigures",
        new FieldRef("period", TypeRef.String.NonNull(), "2026-Q3, 2026-07 or 2026."),
        new FieldRef("start", TypeRef.Date.NonNull()),
        new FieldRef("end", TypeRef.Date.NonNull(), "The first day after the period."),
        new FieldRef("owners", TypeRef.ListOf(Figures).NonNull()),
        new FieldRef("total", Figures.NonNull()))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var period = context.Argument<string>("period")!;
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var (first, end) = Periods.Range(context, period, settings.Zone, periodsWithoutTo: 4);
        var scope = await Scope.ReadAsync(context, cancellationToken);
        var open = new List<CrmRecord>();
        await foreach (var o in records.QueryAllAsync(OpportunityEntity.Name, scope.And(Condition.All(Condition.Eq("status", "open"), Condition.Gte("expectedCloseDate", first), Condition.Lt("expectedCloseDate", end))), cancellationToken: cancellationToken))
        {
            open.Add(o);
        }

        var won = new List<CrmRecord>();
        await foreach (var o in records.QueryAllAsync(OpportunityEntity.Name, scope.And(Condition.All(Condition.Eq("status", "won"), Condition.Gte("closedOn", first), Condition.Lt("closedOn", end))), cancellationToken: cancellationToken))
        {
            won.Add(o);
        }

        var targets = new List<CrmRecord>();
        await foreach (var t in records.QueryAllAsync(TargetEntity.Name, Condition.Gte("periodStart", first).And(Condition.Lt("periodStart", end)), cancellationToken: cancellationToken))
        {
            targets.Add(t);
        }

        var users = (await context.Directory.GetUsersAsync(cancellationToken)).ToDictionary(u => u.Id);
        var result = new List<Dictionary<string, object?>>();
        for (var start = first; start < end; start = Periods.Next(period, start))
        {
            var next = Periods.Next(period, start);
            bool In(DateOnly? day) => day >= start && day < next;
            var periodOpen = open.Where(o => In(o.GetValue("expectedCloseDate") as DateOnly?)).ToList();
            var periodWon = won.Where(o => In(o.GetValue("closedOn") as DateOnly?)).ToList();
            var periodTargets = targets.Where(t => In(t.GetValue("periodStart") as DateOnly?) && TargetEntity.End(t) <= next).ToList();
            var owners = periodOpen.Concat(periodWon).Select(o => o.OwnerId ?? Guid.Empty)
                .Concat(periodTargets.Where(t => t.GetValue("teamId") is null).Select(t => t.OwnerId ?? Guid.Empty))
                .Where(o => scope.Owners is null || scope.Owners.Contains(o))
                .Distinct()
                .OrderBy(o => users.GetValueOrDefault(o)?.DisplayName ?? o.ToString(), StringComparer.Ordinal)
                .ToList();
            var ownerRows = owners.Select(owner => Row(owner, users.GetValueOrDefault(owner)?.DisplayName,
                periodOpen.Where(o => o.OwnerId == owner), periodWon.Where(o => o.OwnerId == owner),
                Sum(periodTargets.Where(t => t.GetValue("teamId") is null && t.OwnerId == owner)))).ToList();
            var teamTarget = scope.Team is { } team
                ? Sum(periodTargets.Where(t => t.GetValue<string>("teamId") == team.Id.ToString()))
                : Sum(periodTargets.Where(t => t.GetValue("teamId") is null && (scope.Owners is null || scope.Owners.Contains(t.OwnerId ?? Guid.Empty))));
            result.Add(new Dictionary<string, object?>
            {
                ["period"] = Periods.Label(period, start),
                ["start"] = start,
                ["end"] = next,
                ["owners"] = ownerRows,
                ["total"] = Row(null, scope.Team?.Name, periodOpen, periodWon, teamTarget),
            });
        }

        return result;
    }

    private static decimal? Sum(IEnumerable<CrmRecord> targets)
    {
        var list = targets.ToList();
        return list.Count == 0 ? null : list.Sum(t => MoneyMath.AmountOf(t, "amount"));
    }

    private static Dictionary<string, object?> Row(Guid? owner, string? name, IEnumerable<CrmRecord> open, IEnumerable<CrmRecord> won, decimal? target)
    {
        var counted = open.Where(o => o.GetValue<string>("forecastCategory") != "omitted").ToList();
        decimal Amount(CrmRecord o) => MoneyMath.AmountOf(o, "amount");
        var closedWon = won.Sum(Amount);
        var commit = closedWon + counted.Where(o => o.GetValue<string>("forecastCategory") == "commit").Sum(Amount);
        var bestCase = commit + counted.Where(o => o.GetValue<string>("forecastCategory") == "bestCase").Sum(Amount);
        return new Dictionary<string, object?>
        {
            ["ownerId"] = owner,
            ["ownerName"] = name,
            ["pipeline"] = counted.Sum(Amount),
            ["weighted"] = counted.Sum(o => MoneyMath.Percent(Amount(o), o.GetValue<decimal?>("probability") ?? 0m)),
            ["commit"] = commit,
            ["bestCase"] = bestCase,
            ["closedWon"] = closedWon,
            ["target"] = target,
            ["attainment"] = target is > 0 ? Math.Round(closedWon / target.Value, 4, MidpointRounding.AwayFromZero) : null,
        };
    }
}
