using CrmEngine.Engine.Coordination;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// Leases as PostgreSQL session advisory locks on the catalog's server: each held lease keeps one
/// connection open, and the server releases the lock when that session ends, so a host that dies
/// (or loses its connection) frees its work for the others without any timeout of ours.
/// </summary>
public sealed class AdvisoryLockLeases(PostgresServers servers) : IWorkLeases
{
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        var key = AdvisoryKeys.For(name);
        var connection = await servers.OpenAsync(PostgresServers.Default, cancellationToken);
        try
        {
            if (await PostgresSql.ScalarAsync(connection, "SELECT pg_try_advisory_lock($1)", [key], cancellationToken) is true)
            {
                return new Lease(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private sealed class Lease(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await PostgresSql.ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", [key], CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its lock with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
