using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Opportunities;

/// <summary>What the stage operations share: finding the opportunity and a stage of its pipeline, and writing the move.</summary>
internal static class StageMoves
{
    public static readonly OperationArgument At = new("at", TypeRef.DateTime, "When it happened, for progress recorded afterwards; now when omitted. Not in the future, not before the current stage was entered.");

    public static async Task<(CrmRecord Opportunity, IReadOnlyList<CrmRecord> Stages)> OpenAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var opportunity = await Writes.ExistingAsync(context.Records, OpportunityEntity.Name, context.RecordId("id", OpportunityEntity.Name), "id", cancellationToken);
        if (opportunity.GetValue<string>("status") is "won" or "lost")
        {
            throw new OperationException(SalesErrors.OpportunityClosed, $"Opportunity '{opportunity.GetValue<string>("name")}' is already {opportunity.GetValue<string>("status")}.", "id");
        }

        return (opportunity, await Pipelines.StagesAsync(context.Records, opportunity.GetValue<Guid>("pipeline"), cancellationToken));
    }

    public static async Task<CrmRecord> MoveAsync(IOperationContext context, CrmRecord opportunity, CrmRecord stage, FieldValues more, CancellationToken cancellationToken)
    {
        var values = new FieldValues(more) { ["stage"] = stage.Id };
        if (context.Argument<DateTime?>("at") is { } at)
        {
            values["stageEnteredAt"] = at.ToUniversalTime();
        }

        return await Writes.RequireAsync(context.Records.UpdateAsync(OpportunityEntity.Name, opportunity.Id, values, context.Argument<long?>("version"), cancellationToken));
    }
}

/// <summary><c>moveOpportunity(id, stage, at, version)</c>: to another open stage of its pipeline, by key or id.</summary>
internal sealed class MoveOpportunity : IPluginOperation
{
    public string Name => "moveOpportunity";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Moves an open opportunity to another open stage of its pipeline (by stage key or id); the stage's default probability applies.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull()),
        new("stage", TypeRef.String.NonNull(), "The stage's key (such as proposal) or id."),
        StageMoves.At,
        new("version", TypeRef.Long, "The version you read; refused with VERSION_CONFLICT if it moved on."),
    ];

    public TypeRef Result => TypeRef.Entity(OpportunityEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var (opportunity, stages) = await StageMoves.OpenAsync(context, cancellationToken);
        var wanted = context.Argument<string>("stage") ?? string.Empty;
        var stage = stages.FirstOrDefault(s => s.GetValue<string>("key") == wanted || s.Id.ToString() == wanted)
            ?? throw new OperationException(SalesErrors.StageNotInPipeline, $"The opportunity's pipeline has no stage '{wanted}'.", "stage");
        if (stage.GetValue<string>("category") != "open")
        {
            throw new OperationException(SalesErrors.InvalidState, "Close opportunities with winOpportunity or loseOpportunity (a loss needs a reason).", "stage");
        }

        return await StageMoves.MoveAsync(context, opportunity, stage, [], cancellationToken);
    }
}

/// <summary><c>winOpportunity(id, reason, at)</c>: to the pipeline's won stage.</summary>
internal sealed class WinOpportunity : IPluginOperation
{
    public string Name => "winOpportunity";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Marks an opportunity won (its pipeline's won stage), with why.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull()),
        new("reason", TypeRef.String, "price, product, relationship, service, brand, quoteAccepted or other."),
        StageMoves.At,
    ];

    public TypeRef Result => TypeRef.Entity(OpportunityEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var (opportunity, stages) = await StageMoves.OpenAsync(context, cancellationToken);
        var won = stages.FirstOrDefault(s => s.GetValue<string>("category") == "won")
            ?? throw new OperationException(SalesErrors.StageNotInPipeline, "The opportunity's pipeline has no won stage.", "id");
        return await StageMoves.MoveAsync(context, opportunity, won, new FieldValues { ["wonReason"] = context.Argument<string>("reason") }, cancellationToken);
    }
}

/// <summary><c>loseOpportunity(id, reason, note, at)</c>: to the pipeline's lost stage; the reason is required.</summary>
internal sealed class LoseOpportunity : IPluginOperation
{
    public string Name => "loseOpportunity";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Marks an opportunity lost (its pipeline's lost stage); the reason is required.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull()),
        new("reason", TypeRef.String.NonNull(), "price, competitor, noBudget, noDecision, timing, productFit or other."),
        new("note", TypeRef.String, "Details, such as the competitor who won."),
        StageMoves.At,
    ];

    public TypeRef Result => TypeRef.Entity(OpportunityEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(context.Argument<string>("reason")))
        {
            throw new OperationException(SalesErrors.ReasonRequired, "Say why the opportunity was lost.", "reason");
        }

        var (opportunity, stages) = await StageMoves.OpenAsync(context, cancellationToken);
        var lost = stages.FirstOrDefault(s => s.GetValue<string>("category") == "lost")
            ?? throw new OperationException(SalesErrors.StageNotInPipeline, "The opportunity's pipeline has no lost stage.", "id");
        return await StageMoves.MoveAsync(context, opportunity, lost, new FieldValues { ["lostReason"] = context.Argument<string>("reason"), ["lossNote"] = context.Argument<string>("note") }, cancellationToken);
    }
}
