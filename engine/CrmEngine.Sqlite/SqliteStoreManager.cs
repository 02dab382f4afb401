using System.Collections.Concurrent;
using System.Globalization;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Sqlite;

/// <summary>
/// SQLite stores: the catalog in <c>catalog.db</c> and one file per tenant under <c>tenants/</c> in the
/// data directory. Backups use SQLite's online backup API, so they are consistent while the store is
/// being written. When the host or an admin verb ends, the stores it opened are checkpointed: the
/// connection pool keeps connections open to the end of the process, so SQLite never saw a last
/// connection close and left each WAL (megabytes after a tenant's creation) beside its database.
/// </summary>
public sealed class SqliteStoreManager(DataDirectory dataDirectory) : IStoreManager, IDisposable
{
    private readonly ConcurrentDictionary<string, bool> _opened = new(StringComparer.Ordinal);

    private string CatalogConnectionString => SqliteStorageProvider.ConnectionStringFor(Path.Combine(dataDirectory.Path, "catalog.db"));

    public void ConfigureCatalog(DbContextOptionsBuilder builder) => builder.UseSqlite(CatalogConnectionString);

    public async Task<bool> EnsureCatalogAsync(CancellationToken cancellationToken)
    {
        OwnerOnlyFile.CreateDirectory(dataDirectory.Path);
        await using var context = new CatalogDbContext(new DbContextOptionsBuilder<CatalogDbContext>().UseSqlite(CatalogConnectionString).Options);
        var created = await context.Database.EnsureCreatedAsync(cancellationToken);
        if (created)
        {
            await SqliteStorageProvider.InitializeFileAsync(CatalogConnectionString, cancellationToken);
        }

        return created;
    }

    public async Task<string> CreateStoreAsync(string tenantId, string? placement, CancellationToken cancellationToken)
    {
        if (placement is not null)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "SQLite keeps every tenant in the data directory; a server can only be chosen on PostgreSQL.", "server");
        }

        var store = Path.Combine("tenants", tenantId + ".db");
        var path = PathOf(store);
        OwnerOnlyFile.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            throw new CrmException(ErrorCodes.NameTaken, $"A store for tenant '{tenantId}' already exists at {path}; move it away first.");
        }

        await SqliteStorageProvider.InitializeFileAsync(SqliteStorageProvider.ConnectionStringFor(path), cancellationToken);
        return store;
    }

    public Task<string> ConnectionStringAsync(string store, CancellationToken cancellationToken)
    {
        var path = PathOf(store);
        _opened.TryAdd(path, true);
        return Task.FromResult(SqliteStorageProvider.ConnectionStringFor(path));
    }

    /// <summary>
    /// Moves each opened store's WAL into its database and empties it (<c>wal_checkpoint(TRUNCATE)</c>),
    /// then closes the pooled connections to it. A store that is busy elsewhere or gone is left as it
    /// is: a checkpoint is housekeeping, never a reason to fail a shutdown.
    /// </summary>
    public void Dispose()
    {
        foreach (var path in _opened.Keys.Where(File.Exists))
        {
            try
            {
                using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 1 }.ToString());
                connection.Open();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
            }

            SqliteConnection.ClearPool(new SqliteConnection(SqliteStorageProvider.ConnectionStringFor(path)));
        }
    }

    public Task DeleteStoreAsync(string store, CancellationToken cancellationToken)
    {
        var path = PathOf(store);
        // Pooled connections keep the file open; they go first.
        SqliteConnection.ClearPool(new SqliteConnection(SqliteStorageProvider.ConnectionStringFor(path)));
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    /// <summary>A table only backups hold, naming the store they were taken from.</summary>
    private const string BackupStamp = "crm_backup_of";

    public async Task BackupAsync(string store, string file, CancellationToken cancellationToken)
    {
        await using var source = new SqliteConnection(SqliteStorageProvider.ConnectionStringFor(PathOf(store)));
        await source.OpenAsync(cancellationToken);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await target.OpenAsync(cancellationToken);
        source.BackupDatabase(target);
        // The copy says whose it is, so a restore into another tenant can be refused.
        await using var stamp = target.CreateCommand();
        stamp.CommandText = $"CREATE TABLE {BackupStamp} (store TEXT NOT NULL); INSERT INTO {BackupStamp} (store) VALUES ($store);";
        stamp.Parameters.AddWithValue("$store", store);
        await stamp.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RestoreAsync(string store, string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new CrmException(ErrorCodes.NotFound, $"There is no backup file {file}.", "file");
        }

        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await source.OpenAsync(cancellationToken);
        if (!await IsTenantStoreAsync(source, cancellationToken))
        {
            throw new CrmException(ErrorCodes.InvalidBackup, $"{file} is not a backup of a CrmEngine tenant store.", "file");
        }

        if (await StampOfAsync(source, cancellationToken) is { } owner && owner != store)
        {
            throw new CrmException(ErrorCodes.InvalidBackup, $"{file} is a backup of another tenant's store ({owner}), not of {store}.", "file");
        }

        var connectionString = SqliteStorageProvider.ConnectionStringFor(PathOf(store));
        await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString()))
        {
            await target.OpenAsync(cancellationToken);
            // The backup API copies page by page under the target's write lock: other connections see
            // the old store or the restored one, never a mix.
            await CopyWhenFreeAsync(source, target, cancellationToken);
            await using var unstamp = target.CreateCommand();
            unstamp.CommandText = $"DROP TABLE IF EXISTS {BackupStamp};";
            await unstamp.ExecuteNonQueryAsync(cancellationToken);
        }

        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
    }

    /// <summary>
    /// Copies <paramref name="source"/> over <paramref name="target"/> once the target's write lock can
    /// be had. The backup API does not wait for a lock as commands do (Microsoft.Data.Sqlite retries
    /// commands, not backup steps): a host's background loop holding the store at that instant made a
    /// restore fail with "database is locked". A step refused for a lock copied nothing, so it is tried
    /// again, for as long as a command would wait for the same lock.
    /// </summary>
    internal static async Task CopyWhenFreeAsync(SqliteConnection source, SqliteConnection target, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                source.BackupDatabase(target);
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked && DateTime.UtcNow < until)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>The store a backup was taken from, or null for a copy made by other means.</summary>
    private static async Task<string?> StampOfAsync(SqliteConnection backup, CancellationToken cancellationToken)
    {
        await using var command = backup.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{BackupStamp}';";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        command.CommandText = $"SELECT store FROM {BackupStamp} LIMIT 1;";
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<bool> IsTenantStoreAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('crm_metadata_state', 'crm_system_schema');";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 2;
        }
        catch (SqliteException)
        {
            // Not a database at all.
            return false;
        }
    }

    public Task<IReadOnlyCollection<string>> StoresWithDueWorkAsync(IReadOnlyCollection<string> stores, Engine.Coordination.DueWorkProbe probe, CancellationToken cancellationToken) =>
        SqliteDueWork.StoresWithDueWorkAsync(stores.Select(s => (s, PathOf(s))), probe, cancellationToken);

    private string PathOf(string store) => Path.Combine(dataDirectory.Path, store);
}
