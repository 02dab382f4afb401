using System.Diagnostics;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Sqlite.Writes;

/// <summary>
/// Writes that share one transaction and one commit (<see cref="WriteGate"/>): the context and
/// transaction they run in, one after another, each under its own savepoint (<see cref="SharedCommitUnit"/>).
/// </summary>
internal sealed class CommitGroup(TenantDbContext context, IDbContextTransaction transaction)
{
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _started = Stopwatch.GetTimestamp();

    public TenantDbContext Context { get; } = context;

    public IDbContextTransaction Transaction { get; } = transaction;

    public IModel Model => Context.Model;

    public int Members { get; private set; }

    /// <summary>Set when a member could not be undone cleanly: the whole group is rolled back.</summary>
    public bool Broken { get; set; }

    public bool CanTakeMore => !Broken && Members < WriteGate.MaxMembers && Stopwatch.GetElapsedTime(_started) < WriteGate.MaxAge;

    /// <summary>Completes when the group's writes are committed; fails when they are not.</summary>
    public Task Committed => _committed.Task;

    public void Join() => Members++;

    /// <summary>A new group: a transaction on a context of its own over <paramref name="view"/>'s model.</summary>
    public static async Task<CommitGroup> BeginAsync(TenantView view, CancellationToken cancellationToken)
    {
        var context = view.CreateContext();
        try
        {
            return new CommitGroup(context, await context.Database.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>Commits (or, when broken, rolls back) and ends the group. Never throws: members learn the outcome from <see cref="Committed"/>.</summary>
    public async Task CommitAsync()
    {
        try
        {
            if (Broken)
            {
                await Transaction.RollbackAsync();
                _committed.TrySetException(new InvalidOperationException("A write sharing this commit could not be undone cleanly, so none of the writes sharing it were kept."));
            }
            else
            {
                await Transaction.CommitAsync();
                StorageProbe.GroupCommitted(Members);
                _committed.TrySetResult();
            }
        }
        catch (Exception e)
        {
            _committed.TrySetException(e);
        }
        finally
        {
            await Transaction.DisposeAsync();
            await Context.DisposeAsync();
        }
    }
}
