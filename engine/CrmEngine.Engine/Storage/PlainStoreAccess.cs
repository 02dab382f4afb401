using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Store access for a driver that pools connections and prepares statements itself, on a store that
/// takes many writers at once (PostgreSQL): each read gets a pooled context of the view, each write
/// a transaction of its own; concurrent writers are the database's business.
/// </summary>
public sealed class PlainStoreAccess : IStoreAccess
{
    public static PlainStoreAccess Instance { get; } = new();

    private PlainStoreAccess()
    {
    }

    public ReadSlot RentRead(TenantView view) => new PooledRead(view.CreateContext());

    public async ValueTask<IWriteUnit> BeginWriteAsync(TenantView view, bool shareCommit, CancellationToken cancellationToken) =>
        await TransactionUnit.BeginAsync(view, turn: null, cancellationToken);

    public Task SaveAsync(TenantDbContext context, CancellationToken cancellationToken) => context.SaveChangesAsync(cancellationToken);

    public void Dispose()
    {
    }

    private sealed class PooledRead(TenantDbContext context) : ReadSlot
    {
        public override TenantDbContext Context => context;

        // Disposing a pooled context returns it to the view's pool.
        public override ValueTask GiveBackAsync() => context.DisposeAsync();
    }
}
