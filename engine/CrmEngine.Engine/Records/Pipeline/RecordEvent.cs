namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>A committed change, as the after stage sees it.</summary>
public sealed record RecordEvent(
    string TenantId,
    long Sequence,
    string Entity,
    Guid RecordId,
    RecordOperation Operation,
    long Version,
    DateTime At,
    Guid? Actor,
    string ChangesJson,
    int Depth);

/// <summary>
/// After-stage work (plugin after-hooks, after-rules, webhooks): called once a change has
/// committed, at least once, in commit order per record. Throwing makes the dispatcher retry the
/// event later with back-off, holding back later events of the same record.
/// </summary>
public interface IRecordChangeHandler
{
    Task HandleAsync(RecordEvent change, CancellationToken cancellationToken);
}
