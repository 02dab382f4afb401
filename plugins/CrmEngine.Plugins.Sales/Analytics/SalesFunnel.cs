using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// <c>salesFunnel</c> (销售漏斗) over one pipeline's opportunities created in a period: per stage, the
/// opportunities now in it (count, amount, amount × probability), the conversion to the next stage
/// (of those that reached this stage, the share that reached the next: stage history says which
/// stages each one passed; won counts as the last step, lost leaves the chain) and the average days
/// of completed stays in the stage.
/// </summary>
internal sealed class SalesFunnel : IPluginOperation
{
    public string Name => "salesFunnel";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The sales funnel (销售漏斗) of a pipeline: per stage count, amount, weighted amount, conversion to the next stage and average days in stage.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("pipelineId", TypeRef.Id, "The default pipeline when omitted."),
        .. Scope.Arguments,
        new("from", TypeRef.Date, "Opportunities created on or after this day (tenant time zone)."),
        new("to", TypeRef.Date, "Opportunities created on or before this day."),
    ];

    public TypeRef Result => TypeRef.Object("SalesFunnel",
        new FieldRef("pipeline", TypeRef.Entity(PipelineEntity.Name).NonNull()),
        new FieldRef("stages", TypeRef.ListOf(TypeRef.Object("FunnelStage",
            new FieldRef("stage", TypeRef.Entity(StageEntity.Name).NonNull()),
            new FieldRef("count", TypeRef.Int.NonNull(), "Opportunities now in this stage."),
            new FieldRef("amount", TypeRef.Decimal.NonNull()),
            new FieldRef("weightedAmount", TypeRef.Decimal.NonNull(), "Σ amount × probability / 100, to the cent."),
            new FieldRef("reached", TypeRef.Int.NonNull(), "Opportunities that reached this stage or a later one."),
            new FieldRef("conversionRate", TypeRef.Decimal, "reached(next) / reached(this), to 4 places; null for the last step or when none reached it."),
            new FieldRef("averageDaysInStage", TypeRef.Decimal, "Over completed stays, to 2 places."))).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var pipeline = Args.OptionalId(context, "pipelineId", PipelineEntity.Name) is { } id
            ? await Writes.ExistingAsync(records, PipelineEntity.Name, id, "pipelineId", cancellationToken)
            : await Pipelines.DefaultAsync(records, cancellationToken) ?? throw new OperationException(SalesErrors.NotFound, "This tenant has no pipeline.", "pipelineId");
        var stages = await Pipelines.StagesAsync(records, pipeline.Id, cancellationToken);
        var scope = await Scope.ReadAsync(context, cancellationToken);
        var where = scope.And(Condition.Eq("pipeline", pipeline.Id));
        if (context.Argument<DateOnly?>("from") is { } from)
        {
            where = where.And(Condition.Gte("createdAt", Periods.StartOf(from, settings.Zone)));
        }

        if (context.Argument<DateOnly?>("to") is { } to)
        {
            where = where.And(Condition.Lt("createdAt", Periods.StartOf(to.AddDays(1), settings.Zone)));
        }

        var now = await records.AggregateAsync(OpportunityEntity.Name, new AggregateRequest { Where = where, GroupBy = [new Grouping("stage")], Values = [Aggregate.Sum("amount")], GroupLimit = 1000 }, cancellationToken);
        var byStage = now.Groups.Where(g => g.Key[0] is Guid).ToDictionary(g => (Guid)g.Key[0]!);
        var days = await records.AggregateAsync(StageHistoryEntity.Name, new AggregateRequest
        {
            Where = Condition.Through("opportunity", where).And(Condition.IsNotNull("leftAt")),
            GroupBy = [new Grouping("stage")],
            Values = [Aggregate.Avg("daysInStage")],
            GroupLimit = 1000,
        }, cancellationToken);
        var averageDays = days.Groups.Where(g => g.Key[0] is Guid).ToDictionary(g => (Guid)g.Key[0]!, g => g.Value<decimal?>(Aggregate.Avg("daysInStage")));

        // How far each opportunity got: the furthest stage (by order) it ever entered, lost excluded.
        var order = stages.ToDictionary(s => s.Id, s => (s.GetValue<long>("sortOrder"), s.GetValue<string>("category")));
        var furthest = new Dictionary<Guid, long>();
        var weighted = new Dictionary<Guid, decimal>();
        await foreach (var opportunity in records.QueryAllAsync(OpportunityEntity.Name, where, cancellationToken: cancellationToken))
        {
            var stage = opportunity.GetValue<Guid>("stage");
            weighted[stage] = weighted.GetValueOrDefault(stage) + MoneyMath.Percent(MoneyMath.AmountOf(opportunity, "amount"), opportunity.GetValue<decimal?>("probability") ?? 0m);
            Reach(furthest, order, opportunity.Id, stage);
        }

        await foreach (var stay in records.QueryAllAsync(StageHistoryEntity.Name, Condition.Through("opportunity", where), cancellationToken: cancellationToken))
        {
            Reach(furthest, order, stay.GetValue<Guid>("opportunity"), stay.GetValue<Guid>("stage"));
        }

        var chain = stages.Where(s => s.GetValue<string>("category") != "lost").ToList();
        var rows = new List<Dictionary<string, object?>>();
        foreach (var stage in stages)
        {
            var position = chain.IndexOf(stage);
            var reached = position < 0 ? 0 : furthest.Values.Count(v => v >= stage.GetValue<long>("sortOrder"));
            var nextReached = position >= 0 && position + 1 < chain.Count ? furthest.Values.Count(v => v >= chain[position + 1].GetValue<long>("sortOrder")) : (int?)null;
            if (stage.GetValue<string>("category") == "lost")
            {
                reached = byStage.TryGetValue(stage.Id, out var lost) ? (int)lost.Count : 0;
            }

            rows.Add(new Dictionary<string, object?>
            {
                ["stage"] = stage,
                ["count"] = byStage.TryGetValue(stage.Id, out var group) ? (int)group.Count : 0,
                ["amount"] = group?.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m,
                ["weightedAmount"] = weighted.GetValueOrDefault(stage.Id),
                ["reached"] = reached,
                ["conversionRate"] = nextReached is { } next && reached > 0 ? Math.Round((decimal)next / reached, 4, MidpointRounding.AwayFromZero) : null,
                ["averageDaysInStage"] = averageDays.GetValueOrDefault(stage.Id) is { } avg ? Math.Round(avg, 2, MidpointRounding.AwayFromZero) : null,
            });
        }

        return new Dictionary<string, object?> { ["pipeline"] = pipeline, ["stages"] = rows };
    }

    private static void Reach(Dictionary<Guid, long> furthest, Dictionary<Guid, (long Order, string? Category)> order, Guid opportunity, Guid stage)
    {
        if (order.TryGetValue(stage, out var info) && info.Category != "lost")
        {
            furthest[opportunity] = Math.Max(furthest.GetValueOrDefault(opportunity, long.MinValue), info.Order);
        }
        else
        {
            furthest.TryAdd(opportunity, long.MinValue);
        }
    }
}
