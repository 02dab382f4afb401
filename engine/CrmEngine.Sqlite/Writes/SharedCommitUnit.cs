using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Sqlite.Writes;

/// <summary>
/// A write that shares its commit (<see cref="WriteGate"/>): it runs in the group left open for it
/// (or a new one), under a savepoint of its own. Completed, it releases the savepoint and leaves its
/// changes to the group's commit; not completed, it rolls back to the savepoint without touching
/// the writes before it. Either way it then hands the group on (or commits it) and, if completed,
/// waits for that commit.
/// </summary>
internal sealed class SharedCommitUnit : IWriteUnit
{
    private const string MemberSavepoint = "crm_member";

    private readonly WriteGate _gate;
    private readonly CommitGroup _group;
    private WriteTurn _turn;
    private bool _completed;

    private SharedCommitUnit(WriteGate gate, CommitGroup group, WriteTurn turn)
    {
        _gate = gate;
        _group = group;
        _turn = turn;
    }

    public TenantDbContext Context => _group.Context;

    private IDbContextTransaction Transaction => _group.Transaction;

    /// <summary>The group left open for this write, or a new one, and a savepoint of its own.</summary>
    public static async ValueTask<IWriteUnit> JoinAsync(WriteGate gate, TenantView view, CancellationToken cancellationToken)
    {
        var (turn, group) = await gate.JoinAsync(view.Model, cancellationToken);
        try
        {
            group ??= await CommitGroup.BeginAsync(view, cancellationToken);
            group.Join();
            await group.Transaction.CreateSavepointAsync(MemberSavepoint, cancellationToken);
            return new SharedCommitUnit(gate, group, turn);
        }
        catch
        {
            if (group is not null)
            {
                await gate.HandOnAsync(group);
            }

            turn.Dispose();
            throw;
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await Transaction.ReleaseSavepointAsync(MemberSavepoint, cancellationToken);
        // The next write of the group starts with an empty change tracker.
        Context.ChangeTracker.Clear();
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_completed)
            {
                try
                {
                    await Transaction.RollbackToSavepointAsync(MemberSavepoint);
                }
                catch (Exception) when (!_group.Broken)
                {
                    _group.Broken = true;
                }

                Context.ChangeTracker.Clear();
            }

            await _gate.HandOnAsync(_group);
        }
        finally
        {
            _turn.Dispose();
        }

        if (_completed)
        {
            await _group.Committed;
        }
    }
}
