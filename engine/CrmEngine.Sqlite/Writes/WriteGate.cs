using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Sqlite.Writes;

/// <summary>
/// One write at a time into a store that allows only one writer (SQLite), with commits shared:
/// a write that ends while others wait to write leaves its transaction open, and the next one
/// continues it under a savepoint of its own (<see cref="CommitGroup"/>), until a write ends with
/// no one waiting, or the group is big or old enough; that write commits for all of them. Each
/// waits for that commit before it reports success, so a write is reported only once durable, and
/// one that fails is rolled back to its savepoint without touching the others. Committing is most
/// of a small write's cost on SQLite (the WAL pages of the record, its indexes, audit, outbox and
/// search rows, and an fsync); shared, it is paid once per group. Writes that run in a transaction
/// of their own (imports, marks of the after stage, rule runs) take an exclusive turn, which
/// commits a group left open first.
/// </summary>
// Its semaphore never creates a wait handle (only WaitAsync is used), so there is nothing to dispose.
#pragma warning disable CA1001
internal sealed class WriteGate
#pragma warning restore CA1001
{
    /// <summary>Writes one group may hold at most.</summary>
    public const int MaxMembers = 64;

    /// <summary>How long a group may stay open for more writes, at most.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(20);

    private readonly SemaphoreSlim _turns = new(1, 1);
    private int _joining;
    private CommitGroup? _open;

    /// <summary>A turn of one's own: a group left open is committed first.</summary>
    public async ValueTask<WriteTurn> EnterAsync(CancellationToken cancellationToken)
    {
        await _turns.WaitAsync(cancellationToken);
        await CommitOpenAsync();
        return new WriteTurn(this);
    }

    /// <summary>
    /// A turn for a write that shares its commit, with the group left open for it (one over the
    /// same model; a group over another model is committed first), or none: the write starts one.
    /// </summary>
    public async ValueTask<(WriteTurn Turn, CommitGroup? Group)> JoinAsync(IModel model, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _joining);
        try
        {
            await _turns.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _joining);
            // A group may have been left open for this write: see that it is committed all the same.
            _ = CommitWhenFreeAsync();
            throw;
        }

        Interlocked.Decrement(ref _joining);
        var group = Interlocked.Exchange(ref _open, null);
        if (group is not null && !ReferenceEquals(group.Model, model))
        {
            await group.CommitAsync();
            group = null;
        }

        return (new WriteTurn(this), group);
    }

    /// <summary>
    /// The end of a member's turn (called while holding it): the group stays open for a write
    /// waiting to join, or is committed now.
    /// </summary>
    public Task HandOnAsync(CommitGroup group)
    {
        if (Volatile.Read(ref _joining) > 0 && group.CanTakeMore)
        {
            _open = group;
            return Task.CompletedTask;
        }

        return group.CommitAsync();
    }

    public void Release() => _turns.Release();

    /// <summary>Writes waiting to join a group.</summary>
    public int Joining => Volatile.Read(ref _joining);

    private Task CommitOpenAsync() => Interlocked.Exchange(ref _open, null)?.CommitAsync() ?? Task.CompletedTask;

    private async Task CommitWhenFreeAsync()
    {
        using var turn = await EnterAsync(CancellationToken.None);
    }
}

/// <summary>A turn at a store's write gate; disposing it (once) ends the turn. The default turn (no gate) is for stores with many writers.</summary>
internal struct WriteTurn(WriteGate? gate) : IDisposable
{
    private WriteGate? _gate = gate;

    public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
}
