using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Reads;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The context a read uses: inside an open write (a hook or rule reading), the write's own context,
/// so it sees the write's uncommitted changes and never waits on its lock; otherwise one of the
/// store's read connections where it keeps them (SQLite), else a fresh pooled context.
/// </summary>
internal readonly struct ReadLease : IAsyncDisposable
{
    private readonly bool _owned;
    private readonly TenantStore? _store;
    private readonly ReadSlot? _slot;

    private ReadLease(TenantDbContext context, bool owned, TenantStore? store = null, ReadSlot? slot = null)
    {
        Context = context;
        _owned = owned;
        _store = store;
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
            ? new ReadLease(slot.Context, owned: false, session.Store, slot)
            : new ReadLease(session.CreateContext(), owned: true);
    }

    public ValueTask DisposeAsync()
    {
        if (_slot is not null)
        {
            _store!.ReturnRead(_slot);
            return ValueTask.CompletedTask;
        }

        return _owned ? Context.DisposeAsync() : ValueTask.CompletedTask;
    }
}
