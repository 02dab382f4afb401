using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sqlite.Reads;
using CrmEngine.Sqlite.Writes;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmEngine.Sqlite;

/// <summary>
/// An SQLite store as this process serves it: reads on connections it keeps open with their
/// prepared statements (<see cref="SqliteReadPool"/>), and one writer at a time
/// (<see cref="WriteGate"/>), so writers queue here instead of colliding on the file lock and
/// backing off in sleeps, and the record pipeline's writes waiting together share a commit.
/// </summary>
internal sealed class SqliteStoreAccess(string connectionString, IReadOnlyList<IInterceptor> interceptors) : IStoreAccess
{
    private readonly SqliteReadPool _reads = new(connectionString, interceptors);

    public WriteGate Gate { get; } = new();

    public ReadSlot RentRead(TenantView view) => _reads.TryRent(view) ?? PlainStoreAccess.Instance.RentRead(view);

    public async ValueTask<IWriteUnit> BeginWriteAsync(TenantView view, bool shareCommit, CancellationToken cancellationToken) =>
        shareCommit
            ? await SharedCommitUnit.JoinAsync(Gate, view, cancellationToken)
            // A transaction of its own takes an exclusive turn, which commits a group left open first.
            : await TransactionUnit.BeginAsync(view, await Gate.EnterAsync(cancellationToken), cancellationToken);

    public async Task SaveAsync(TenantDbContext context, CancellationToken cancellationToken)
    {
        using (await Gate.EnterAsync(cancellationToken))
        {
            await context.SaveChangesAsync(cancellationToken);
        }
    }

    public void Dispose() => _reads.Dispose();
}
