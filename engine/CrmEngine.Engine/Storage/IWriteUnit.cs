namespace CrmEngine.Engine.Storage;

/// <summary>
/// The transaction a top-level write runs in (<see cref="IStoreAccess.BeginWriteAsync"/>): one of
/// its own, or, where the store shares commits, a place under a savepoint in a transaction several
/// writes commit together. The writer saves its changes through <see cref="Context"/>, completes the
/// unit, and disposes it either way. Disposing a unit that was not completed undoes everything it
/// did; disposing a completed one returns once what it saved is committed (durable, and readable by
/// others), and throws if that commit failed.
/// </summary>
public interface IWriteUnit : IAsyncDisposable
{
    /// <summary>The context to write through, in the unit's transaction (<c>Database.CurrentTransaction</c>, where nested writes take their savepoints).</summary>
    TenantDbContext Context { get; }

    /// <summary>Keeps what the writer saved: commits it, or (sharing a commit) hands it to the commit that follows.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
