using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The transaction a write runs in, shared with every write and read made while it is open (by
/// hooks and rules, on the same tenant): nested writes join it under a savepoint, so they commit or
/// roll back with the write that caused them and never wait on its lock. Scopes nest at most
/// <see cref="CrmEngineOptions.MaxCascadeDepth"/> deep. On a single-writer store, a write that
/// shares its commit (<see cref="WriteGate"/>) runs under a savepoint of a group's transaction and,
/// once done, waits for the group's commit.
/// </summary>
public sealed class WriteScope : IAsyncDisposable
{
    private const string MemberSavepoint = "crm_member";

    private static readonly AsyncLocal<WriteScope?> Ambient = new();
    private static readonly AsyncLocal<int> Base = new();

    private readonly IDbContextTransaction _transaction;
    private readonly WriteScope? _parent;
    private WriteTurn _turn;
    private CommitGroup? _group;
    private readonly string? _savepoint;
    private bool _completed;
    private List<Action>? _afterCommit;

    private WriteScope(CrmSession session, TenantDbContext context, IDbContextTransaction transaction, int depth, WriteScope? parent, string? savepoint, string entity, Guid? recordId)
    {
        Session = session;
        Context = context;
        _transaction = transaction;
        Depth = depth;
        _parent = parent;
        _savepoint = savepoint;
        Entity = entity;
        RecordId = recordId;
    }

    /// <summary>The innermost open write of this flow, if any.</summary>
    public static WriteScope? Current => Ambient.Value;

    public CrmSession Session { get; }

    public TenantDbContext Context { get; }

    /// <summary>1 for a direct write; each write made inside another adds one.</summary>
    public int Depth { get; }

    public string Entity { get; }

    public Guid? RecordId { get; }

    public bool IsNested => _parent is not null;

    /// <summary>The open scope to join for work on <paramref name="session"/>'s tenant, if any.</summary>
    public static WriteScope? For(CrmSession session) => Current is { } scope && scope.Session.TenantId == session.TenantId ? scope : null;

    /// <summary>
    /// Runs after-stage work as a continuation of a change made <paramref name="depth"/> deep, so a
    /// cascade through the outbox (an after-rule writing, which fires another after-rule, ...) is
    /// limited like one inside a transaction.
    /// </summary>
    public static async Task RunAtDepthAsync(int depth, Func<Task> work)
    {
        var previous = Base.Value;
        Base.Value = depth;
        try
        {
            await work();
        }
        finally
        {
            Base.Value = previous;
        }
    }

    /// <summary>
    /// Opens a scope for a write. The caller makes it ambient with <see cref="Activate"/>: an async
    /// method's changes to an AsyncLocal don't reach its caller, so this one can't do it.
    /// <paramref name="shareCommit"/>: a write of the record pipeline, which may commit together
    /// with other writes waiting at a single-writer store's gate; other work (rule runs, dry runs,
    /// plugin operations) has a transaction of its own.
    /// </summary>
    public static async Task<WriteScope> BeginAsync(CrmSession session, string entity, Guid? recordId, int maxDepth, CancellationToken cancellationToken, bool shareCommit = false)
    {
        var parent = For(session);
        var depth = (parent?.Depth ?? Base.Value) + 1;
        if (depth > maxDepth)
        {
            throw new CrmException(ErrorCodes.CascadeLimit,
                $"Writes caused by other writes went {maxDepth} levels deep (the limit); the chain was stopped at this write to {entity}. Check rules and hooks that write records which trigger them again.");
        }

        for (var scope = parent; recordId is not null && scope is not null; scope = scope._parent)
        {
            if (scope.Entity == entity && scope.RecordId == recordId)
            {
                throw new CrmException(ErrorCodes.InvalidInput,
                    $"This {entity} is already being written further up this chain; a hook or rule can't write it again before that finishes. Change the record in the hook itself instead.");
            }
        }

        WriteScope created;
        if (parent is null && shareCommit && session.Store.Gate is { } gate)
        {
            created = await JoinAsync(session, gate, depth, entity, recordId, cancellationToken);
        }
        else if (parent is null)
        {
            var turn = await session.Store.EnterWriteAsync(cancellationToken);
            try
            {
                var context = session.CreateContext();
                var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
                created = new WriteScope(session, context, transaction, depth, null, null, entity, recordId) { _turn = turn };
            }
            catch
            {
                turn.Dispose();
                throw;
            }
        }
        else
        {
            var savepoint = "crm_write_" + depth;
            await parent._transaction.CreateSavepointAsync(savepoint, cancellationToken);
            created = new WriteScope(session, parent.Context, parent._transaction, depth, parent, savepoint, entity, recordId);
        }

        return created;
    }

    /// <summary>A write that shares its commit: the group left open for it, or a new one, and a savepoint of its own.</summary>
    private static async Task<WriteScope> JoinAsync(CrmSession session, WriteGate gate, int depth, string entity, Guid? recordId, CancellationToken cancellationToken)
    {
        var (turn, group) = await gate.JoinAsync(session.View.Model, cancellationToken);
        try
        {
            if (group is null)
            {
                var context = session.CreateContext();
                try
                {
                    group = new CommitGroup(context, await context.Database.BeginTransactionAsync(cancellationToken));
                }
                catch
                {
                    await context.DisposeAsync();
                    throw;
                }
            }

            group.Join();
            await group.Transaction.CreateSavepointAsync(MemberSavepoint, cancellationToken);
            return new WriteScope(session, group.Context, group.Transaction, depth, null, null, entity, recordId) { _turn = turn, _group = group };
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

    /// <summary>
    /// Work to do once the write is committed (for a nested write, once the write it belongs to is):
    /// waking the after stage, which must not look for the write's outbox rows before they are there.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (_parent is not null)
        {
            _parent.AfterCommit(action);
            return;
        }

        (_afterCommit ??= []).Add(action);
    }

    private void RunAfterCommit()
    {
        foreach (var action in _afterCommit ?? [])
        {
            action();
        }
    }

    /// <summary>Makes this the ambient scope for the rest of the calling method and what it calls.</summary>
    public void Activate() => Ambient.Value = this;

    /// <summary>
    /// Saves the scope's changes: commits the transaction, or releases the savepoint of a nested
    /// write or of a write sharing a commit (which is committed when the scope ends).
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await Context.SaveChangesAsync(cancellationToken);
        if (_group is not null)
        {
            await _transaction.ReleaseSavepointAsync(MemberSavepoint, cancellationToken);
            // The next write of the group starts with an empty change tracker.
            Context.ChangeTracker.Clear();
        }
        else if (_savepoint is null)
        {
            await _transaction.CommitAsync(cancellationToken);
            _completed = true;
            RunAfterCommit();
            return;
        }
        else
        {
            await _transaction.ReleaseSavepointAsync(_savepoint, cancellationToken);
        }

        _completed = true;
    }

    /// <summary>
    /// Ends the scope; if it did not complete, everything it did is undone. A write sharing a commit
    /// hands the group on (or commits it) and, if it completed, waits for the commit.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_group is { } group)
        {
            try
            {
                if (!_completed)
                {
                    try
                    {
                        await _transaction.RollbackToSavepointAsync(MemberSavepoint);
                    }
                    catch (Exception) when (!group.Broken)
                    {
                        group.Broken = true;
                    }

                    Context.ChangeTracker.Clear();
                }

                await Session.Store.Gate!.HandOnAsync(group);
            }
            finally
            {
                _turn.Dispose();
            }

            if (_completed)
            {
                await group.Committed;
                RunAfterCommit();
            }

            return;
        }

        if (_parent is null)
        {
            try
            {
                await _transaction.DisposeAsync();
                await Context.DisposeAsync();
            }
            finally
            {
                _turn.Dispose();
            }

            return;
        }

        if (!_completed)
        {
            await _transaction.RollbackToSavepointAsync(_savepoint!);
            foreach (var entry in Context.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
            {
                if (entry.State == EntityState.Added)
                {
                    entry.State = EntityState.Detached;
                }
                else
                {
                    await entry.ReloadAsync();
                }
            }
        }
    }
}
