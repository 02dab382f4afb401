using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// <c>publishJourney(id)</c>: freezes the journey's definition as its next version (v1, v2, ...), which
/// people enter from now on; members on earlier versions finish on theirs. A draft journey goes live.
/// </summary>
internal sealed class PublishJourney : IPluginOperation
{
    public string Name => "publishJourney";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Publishes the journey's definition as its next version: new members enter it; members on earlier versions finish on theirs. A draft journey goes live.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Object("JourneyPublished",
        new FieldRef("journey", TypeRef.Entity(JourneyEntity.Name).NonNull()),
        new FieldRef("version", TypeRef.Entity(JourneyVersionEntity.Name).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var journey = await Writes.ExistingAsync(context.Records, JourneyEntity.Name, context.RecordId("id", JourneyEntity.Name), "id", cancellationToken);
        var (updated, version) = await PublishAsync(context.Records, journey, cancellationToken);
        return new Dictionary<string, object?> { ["journey"] = updated, ["version"] = version };
    }

    /// <summary>Publishes a journey's definition as its next version (the operation's work, also the demo data's).</summary>
    public static async Task<(CrmRecord Journey, CrmRecord Version)> PublishAsync(IRecordApi records, CrmRecord journey, CancellationToken cancellationToken)
    {
        var published = journey.GetValue<long?>("publishedVersion") ?? 0;
        if (published > 0 && journey.GetValue<bool?>("hasDraft") != true)
        {
            throw new OperationException(MarketingErrors.InvalidTransition, $"Journey '{journey.GetValue<string>("name")}' has no changes since version {published}.", "id");
        }

        await JourneyDefinition.Read(journey.GetValue, journey.GetValue<string>("of")!).CheckAsync(records, complete: true, cancellationToken);
        var number = published + 1;
        var values = new FieldValues { ["journey"] = journey.Id, ["number"] = number, ["publishedAt"] = DateTime.UtcNow, ["key"] = $"{journey.Id:N}:{number}" };
        foreach (var field in JourneyEntity.Definition)
        {
            values[field] = journey.GetValue(field);
        }

        var version = await Writes.RequireAsync(records.CreateAsync(JourneyVersionEntity.Name, values, cancellationToken), "id");
        var status = journey.GetValue<string>("status") == "draft" ? "live" : journey.GetValue<string>("status");
        var updated = await Writes.RequireAsync(records.UpdateAsync(JourneyEntity.Name, journey.Id, new FieldValues { ["status"] = status, ["publishedVersion"] = number, ["hasDraft"] = false }, journey.Version, cancellationToken), "id");
        return (updated, version);
    }
}

/// <summary><c>pauseJourney(id)</c> and <c>resumeJourney(id)</c>: a paused journey takes no one in and runs no step; resumed, its members run what fell due meanwhile.</summary>
internal abstract class JourneySwitch(string name, string from, string to, string description) : IPluginOperation
{
    public string Name => name;

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => description;

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Entity(JourneyEntity.Name).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var journey = await Writes.ExistingAsync(context.Records, JourneyEntity.Name, context.RecordId("id", JourneyEntity.Name), "id", cancellationToken);
        if (journey.GetValue<string>("status") != from)
        {
            throw new OperationException(MarketingErrors.InvalidTransition, $"Journey '{journey.GetValue<string>("name")}' is {journey.GetValue<string>("status")}; only a {from} journey can be {to}.", "id");
        }

        return await Writes.RequireAsync(context.Records.UpdateAsync(JourneyEntity.Name, journey.Id, new FieldValues { ["status"] = to }, journey.Version, cancellationToken), "id");
    }
}

internal sealed class PauseJourney() : JourneySwitch("pauseJourney", "live", "paused", "Pauses a live journey: no one enters and no step runs until it is resumed.");

internal sealed class ResumeJourney() : JourneySwitch("resumeJourney", "paused", "live", "Resumes a paused journey: its members run the steps that fell due while it was paused.");
