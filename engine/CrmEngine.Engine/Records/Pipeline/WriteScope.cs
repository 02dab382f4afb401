using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The transaction a write runs in, shared with every write and read made while it is open (by
/// hooks and rules, on the same tenant): a top-level write runs in a unit its store provides
/// (<see cref="IWriteUnit"/>), and nested writes join it under a savepoint, so they commit or roll
/// back with the write that caused them and never wait on its lock. Scopes nest at most
/// <see cref="CrmEngineOptions.MaxCascadeDepth"/> deep.
/// </summary>
public sealed class WriteScope : IAsyncDisposable
{
    private static readonly AsyncLocal<WriteScope?> Ambient = new();
    private static readonly AsyncLocal<int> Base = new();

    private readonly IWriteUnit? _unit;
    private readonly WriteScope? _parent;
    private readonly string? _savepoint;
    private bool _completed;
    private bool _batch;
    private List<Action>? _afterCommit;
    private string? _cause;
    private ChunkStatements? _statements;
    private List<Func<ChunkStatements, CancellationToken, Task>>? _pending;

    private WriteScope(CrmSession session, TenantDbContext context, int depth, string entity, Guid? recordId, IWriteUnit? unit, WriteScope? parent, string? savepoint)
    {
        Session = session;
        Context = context;
        Depth = depth;
        Entity = entity;
        RecordId = recordId;
        _unit = unit;
        _parent = parent;
        _savepoint = savepoint;
    }

    /// <summary>The innermost open write of this flow, if any.</summary>
    public static WriteScope? Current => Ambient.Value;

    public CrmSession Session { get; }

    public TenantDbContext Context { get; }

    /// <summary>1 for a direct write; each write made inside another adds one.</summary>
    public int Depth { get; }

    public string Entity { get; }

    public Guid? RecordId { get; }

    /// <summary>
    /// The operation this write is part of, named in its audit row (<c>merge:&lt;id&gt;</c>): set on
    /// the scope of that operation, and the same for every write made inside it.
    /// </summary>
    public string? Cause
    {
        get => _cause ?? _parent?.Cause;
        set => _cause = value;
    }

    /// <summary>Whether this write runs in another scope's transaction (under a savepoint): a write caused by another, or an item of a bulk write.</summary>
    public bool IsNested => _parent is not null;

    /// <summary>Whether another write caused this one (a hook or rule writing while it runs); an item of a bulk write is the caller's own, direct write.</summary>
    public bool IsCausedByWrite => _parent is { _batch: false };

    /// <summary>The statements of the bulk chunk this write runs in, if any: its new rows are written through them rather than by EF.</summary>
    private ChunkStatements? Statements => _statements ?? _parent?.Statements;

    private IDbContextTransaction Transaction => Context.Database.CurrentTransaction!;

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
    /// <paramref name="shareCommit"/>: a write of the record pipeline, which its store may commit
    /// together with other writes (<see cref="IStoreAccess.BeginWriteAsync"/>); other work (rule
    /// runs, dry runs, plugin operations) has a transaction of its own.
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

        if (parent is null)
        {
            return await BeginTopAsync(session, depth, entity, recordId, shareCommit, cancellationToken);
        }

        var savepoint = "crm_write_" + depth;
        await parent.Transaction.CreateSavepointAsync(savepoint, cancellationToken);
        return new WriteScope(session, parent.Context, depth, entity, recordId, null, parent, savepoint);
    }

    /// <summary>
    /// Opens the transaction a chunk of a bulk write runs in (<see cref="RecordBatch"/>): each item
    /// is then an ordinary write of the pipeline nested under a savepoint of its own, at the depth of
    /// a direct write (the batch itself adds none), so an item refused or failing undoes only itself.
    /// A batch is always top-level.
    /// </summary>
    public static async Task<WriteScope> BeginBatchAsync(CrmSession session, string entity, CancellationToken cancellationToken)
    {
        if (For(session) is not null)
        {
            throw new InvalidOperationException("A bulk write can't run inside another write.");
        }

        var batch = await BeginTopAsync(session, Base.Value, entity, recordId: null, shareCommit: false, cancellationToken);
        batch._batch = true;
        // Each item saves under a savepoint of its own already; EF's own savepoint around every save
        // would double those statements. Set back before the context goes (to its pool).
        batch.Context.Database.AutoSavepointsEnabled = false;
        return batch;
    }

    /// <summary>Gives a batch's scope the statements its chunk keeps prepared: the items' new rows are written through them.</summary>
    internal void Use(ChunkStatements statements) => _statements = statements;

    /// <summary>A new record of this write: saved with the write (<see cref="CompleteAsync"/>), by EF or, in a bulk chunk, by the chunk's prepared statement.</summary>
    internal void AddRecord(string entity, Dictionary<string, object?> row)
    {
        if (Statements is null)
        {
            Context.Records(entity).Add(row!);
            return;
        }

        (_pending ??= []).Add((statements, cancellationToken) => statements.InsertRecordAsync(entity, row, cancellationToken));
    }

    /// <summary>The audit and outbox rows of a change of this write, saved with it as <see cref="AddRecord"/>'s rows are.</summary>
    internal void AddLog(AuditRow audit, OutboxRow outbox)
    {
        if (Statements is null)
        {
            Context.Set<AuditRow>().Add(audit);
            Context.Set<OutboxRow>().Add(outbox);
            return;
        }

        (_pending ??= []).Add((statements, cancellationToken) => statements.InsertLogAsync(audit, outbox, cancellationToken));
    }

    /// <summary>
    /// In a bulk chunk, the search entry of a record this write creates, written with it; false
    /// elsewhere, where the caller indexes the record itself.
    /// </summary>
    internal bool AddNewSearchEntry(string entity, Guid id, string text)
    {
        if (Statements is null)
        {
            return false;
        }

        (_pending ??= []).Add((statements, cancellationToken) => statements.IndexNewAsync(entity, id, text, cancellationToken));
        return true;
    }

    private static async Task<WriteScope> BeginTopAsync(CrmSession session, int depth, string entity, Guid? recordId, bool shareCommit, CancellationToken cancellationToken)
    {
        var unit = await session.Store.Access.BeginWriteAsync(session.View, shareCommit, cancellationToken);
        return new WriteScope(session, unit.Context, depth, entity, recordId, unit, null, null);
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

    /// <summary>Makes this the ambient scope for the rest of the calling method and what it calls; returns it, for the caller to dispose.</summary>
    public WriteScope Activate()
    {
        Ambient.Value = this;
        return this;
    }

    /// <summary>Saves the scope's changes: completes its unit, or releases the savepoint of a nested write.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_pending is { } pending)
        {
            // The rows written through a chunk's statements go first: what EF saves next (a companion's rows) may refer to them.
            var statements = Statements!;
            foreach (var write in pending)
            {
                await write(statements, cancellationToken);
            }

            _pending = null;
        }

        await Context.SaveChangesAsync(cancellationToken);
        if (_unit is not null)
        {
            await _unit.CompleteAsync(cancellationToken);
        }
        else
        {
            await Transaction.ReleaseSavepointAsync(_savepoint!, cancellationToken);
        }

        _completed = true;
    }

    /// <summary>
    /// Ends the scope; if it did not complete, everything it did is undone. A top-level write that
    /// completed returns once committed, and then runs its <see cref="AfterCommit"/> work.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_unit is not null)
        {
            Context.Database.AutoSavepointsEnabled = true;
            await _unit.DisposeAsync();
            foreach (var action in _completed ? _afterCommit ?? [] : [])
            {
                action();
            }

            return;
        }

        if (!_completed)
        {
            await Transaction.RollbackToSavepointAsync(_savepoint!);
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
