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
/// event later with back-off, holding back later events of the same record; after its last attempt
/// the event is parked. A handler that can't take the event now for want of capacity throws
/// <see cref="RetryLaterException"/> instead: not a failure, so no attempt is counted.
/// </summary>
public interface IRecordChangeHandler
{
    /// <summary>
    /// Names the handler in the outbox's delivery record, so a change one handler failed is retried
    /// only on the handlers that did not handle it yet: stable across restarts and hosts, unique
    /// among the handlers, no spaces.
    /// </summary>
    string Name { get; }

    Task HandleAsync(RecordEvent change, CancellationToken cancellationToken);
}

/// <summary>
/// Handlers that change while the host runs (a reloaded plugin's after hooks): the dispatcher asks
/// for the current list for each batch and runs them after the handlers registered as services.
/// </summary>
public interface IRecordChangeHandlerSource
{
    IReadOnlyList<IRecordChangeHandler> Handlers { get; }
}

/// <summary>
/// A handler had no capacity for a change just now (its tenant's rules were all busy, say): the
/// dispatcher tries the change again after <see cref="After"/>, holding back later changes of the
/// same record meanwhile, without counting an attempt, so a busy spell never parks a change.
/// </summary>
public sealed class RetryLaterException(string message, TimeSpan after) : Exception(message)
{
    public TimeSpan After { get; } = after;
}
