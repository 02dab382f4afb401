namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Code that takes part in writes: plugins' hooks and tenant rules plug in here. Validate hooks
/// check; before hooks may change the record or reject it. Both run inside the write's transaction.
/// </summary>
public interface IRecordHook
{
    /// <summary>Who this hook belongs to ("rules", a plugin id), named in errors it causes.</summary>
    string Source { get; }

    /// <summary>Lower runs first.</summary>
    int Order => 0;

    bool AppliesTo(RecordChange change);

    Task ValidateAsync(RecordChange change, CancellationToken cancellationToken) => Task.CompletedTask;

    Task BeforeAsync(RecordChange change, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Hooks that change while the host runs (a reloaded plugin's): the pipeline asks for the current
/// list on each write and merges it, by order, with the hooks registered as services (of equal
/// order, the sources' run first, as plugins' did when they were registered services). Return the
/// same list instance until it changes, so the merge is done once per change.
/// </summary>
public interface IRecordHookSource
{
    IReadOnlyList<IRecordHook> Hooks { get; }
}
