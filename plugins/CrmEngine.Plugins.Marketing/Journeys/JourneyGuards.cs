using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// A journey (its draft) is sound whenever it is saved: its steps make a graph that ends and name what
/// exists, its filters run on its people, whom it is of is fixed. Its status and published version are
/// the publish, pause and resume operations' to write; a client's edit of a published journey's
/// definition marks it as having a draft (the next version), leaving the published one as it is.
/// </summary>
internal sealed class JourneyGuard : IBeforeRecordHook
{
    private static readonly string[] Computed = ["status", "publishedVersion", "hasDraft"];

    public string Entity => JourneyEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    /// <summary>A new journey's own values: a draft, never published.</summary>
    private static bool IsDefault(string field, object? value) => field switch
    {
        "status" => value as string == "draft",
        "hasDraft" => value is null or false,
        _ => value is null,
    };

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && Computed.FirstOrDefault(f => record.IsChanging(f) && (record.Operation == RecordOperations.Update || !IsDefault(f, record.GetValue(f)))) is { } computed)
        {
            throw new OperationException(MarketingErrors.ComputedField, $"'{computed}' is set by publishJourney, pauseJourney and resumeJourney.", computed);
        }

        if (record.Operation == RecordOperations.Update && record.IsChanging("of"))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Whom a journey is of is fixed; make another journey.", "of");
        }

        var definition = JourneyDefinition.Read(record.GetValue, record.GetValue("of") as string ?? "lead");
        await definition.CheckAsync(record.Records, complete: false, cancellationToken);
        if (record.IsDirect && record.Operation == RecordOperations.Update && record.GetValue("publishedVersion") is long and > 0 && JourneyEntity.Definition.Any(record.IsChanging))
        {
            record.SetValue("hasDraft", true);
        }
    }
}

/// <summary>Versions, members and step runs are the journey engine's records: clients read them, never write them.</summary>
internal abstract class JourneyManagedGuard(string entity) : IBeforeRecordHook
{
    public string Entity => entity;

    public RecordOperations Operations => RecordOperations.All;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) => record.IsDirect
        ? throw new OperationException(MarketingErrors.JourneyManaged, $"A {entity} is written by the journey engine (publishJourney and the journey's runs); clients only read it.")
        : Task.CompletedTask;
}

internal sealed class JourneyVersionGuard() : JourneyManagedGuard(JourneyVersionEntity.Name);

internal sealed class JourneyMemberGuard() : JourneyManagedGuard(JourneyMemberEntity.Name);

internal sealed class JourneyStepRunGuard() : JourneyManagedGuard(JourneyStepRunEntity.Name);
