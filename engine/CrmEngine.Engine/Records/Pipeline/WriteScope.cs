using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The transaction a write runs in, shared with every write and read made while it is open (by
/// hooks and rules, on the same tenant): nested writes join it under a savepoint, so they commit or
/// roll back with the write that caused them and never wait on its lock. Scopes nest at most
/// <see cref="CrmEngineOptions.MaxCascadeDepth"/> deep.
/// </summary>
public sealed class WriteScope : IAsyncDisposable
{
    private static readonly AsyncLocal<WriteScope?> Ambient = new();
    private static readonly AsyncLocal<int> Base = new();

    private readonly IDbContextTransaction _transaction;
    private readonly WriteScope? _parent;
    private WriteTurn _turn;
    private readonly string? _savepoint;
    private bool _completed;

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
    /// </summary>
    public static async Task<WriteScope> BeginAsync(CrmSession session, string entity, Guid? recordId, int maxDepth, CancellationToken cancellationToken)
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
        if (parent is null)
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

    /// <summary>Makes this the ambient scope for the rest of the calling method and what it calls.</summary>
    public void Activate() => Ambient.Value = this;

    /// <summary>Saves the scope's changes: commits the transaction, or releases the savepoint of a nested write.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await Context.SaveChangesAsync(cancellationToken);
        if (_savepoint is null)
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await _transaction.ReleaseSavepointAsync(_savepoint, cancellationToken);
        }

        _completed = true;
    }

    /// <summary>Ends the scope; if it did not complete, everything it did is undone.</summary>
    public async ValueTask DisposeAsync()
    {
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
