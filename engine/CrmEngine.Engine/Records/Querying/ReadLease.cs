using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Reads;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The context a read uses: inside an open write (a hook or rule reading), the write's own context,
/// so it sees the write's uncommitted changes and never waits on its lock; otherwise one of the
/// store's read connections where it keeps them (SQLite), else a fresh pooled context.
/// </summary>
internal readonly struct ReadLease : IAsyncDisposable
{
    private readonly bool _owned;
    private readonly CrmSession? _session;
    private readonly ReadSlot? _slot;

    private ReadLease(TenantDbContext context, bool owned, CrmSession? session = null, ReadSlot? slot = null)
    {
        Context = context;
        _owned = owned;
        _session = session;
        _slot = slot;
    }

    public TenantDbContext Context { get; }

    public static ReadLease For(CrmSession session)
    {
        if (WriteScope.For(session) is { } scope)
        {
            return new ReadLease(scope.Context, owned: false);
        }

        return session.Store.RentRead(session.View) is { } slot
            ? new ReadLease(slot.Context, owned: false, session, slot)
            : new ReadLease(session.CreateContext(), owned: true);
    }

    public ValueTask DisposeAsync()
    {
        if (_slot is not null)
        {
            _session!.Store.ReturnRead(_slot);
            return ValueTask.CompletedTask;
        }

        return _owned ? Context.DisposeAsync() : ValueTask.CompletedTask;
    }
}
