using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The context a read uses: inside an open write (a hook or rule reading), the write's own context,
/// so it sees the write's uncommitted changes and never waits on its lock; otherwise one its store
/// rents out (<see cref="IStoreAccess.RentRead"/>), given back when the read is done.
/// </summary>
internal readonly struct ReadLease : IAsyncDisposable
{
    private readonly ReadSlot? _slot;

    private ReadLease(TenantDbContext context, ReadSlot? slot)
    {
        Context = context;
        _slot = slot;
    }

    public TenantDbContext Context { get; }

    public static ReadLease For(CrmSession session)
    {
        if (WriteScope.For(session) is { } scope)
        {
            return new ReadLease(scope.Context, null);
        }

        var slot = session.Store.Access.RentRead(session.View);
        return new ReadLease(slot.Context, slot);
    }

    public ValueTask DisposeAsync() => _slot?.GiveBackAsync() ?? ValueTask.CompletedTask;
}
