using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// One open store as its provider serves it in this process (<see cref="IStorageProvider.OpenStore"/>):
/// the context each read runs on and the transaction each write runs in. Where a store needs more
/// than its driver gives, this is where it lives: SQLite keeps read connections open with their
/// prepared statements and lets one writer in at a time, with commits shared; PostgreSQL needs
/// nothing beyond Npgsql's pooling (<see cref="PlainStoreAccess"/>). Disposed when the store is
/// let go (deleted, restored, evicted).
/// </summary>
public interface IStoreAccess : IDisposable
{
    /// <summary>A context over <paramref name="view"/>'s model for one read outside any write; give it back when done.</summary>
    ReadSlot RentRead(TenantView view);

    /// <summary>
    /// The transaction one top-level write runs in, over <paramref name="view"/>'s model (nested
    /// writes take savepoints in it). <paramref name="shareCommit"/>: a write of the record pipeline,
    /// which the store may commit together with other writes (SQLite's shared commits): committed by
    /// the time the unit is disposed. Other work (imports, rule runs, plugin operations) gets a
    /// transaction of its own, committed by the time <see cref="IWriteUnit.CompleteAsync"/> returns.
    /// </summary>
    ValueTask<IWriteUnit> BeginWriteAsync(TenantView view, bool shareCommit, CancellationToken cancellationToken);

    /// <summary>
    /// Saves what a caller's own context tracks, outside any write unit (the after stage marking its
    /// outbox rows), taking its turn with the store's other writes.
    /// </summary>
    Task SaveAsync(TenantDbContext context, CancellationToken cancellationToken);
}

/// <summary>A context rented for one read (<see cref="IStoreAccess.RentRead"/>). Used by one read at a time.</summary>
public abstract class ReadSlot
{
    /// <summary>The context to read through: no tracking, no transaction.</summary>
    public abstract TenantDbContext Context { get; }

    /// <summary>Ends the read: the context goes back where it came from.</summary>
    public abstract ValueTask GiveBackAsync();
}
