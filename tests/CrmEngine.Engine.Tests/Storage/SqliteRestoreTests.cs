using CrmEngine.Engine.Tenancy;
using CrmEngine.Sqlite;
using CrmEngine.Testing;
using Microsoft.Data.Sqlite;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>Restoring a SQLite tenant store while another connection holds it for a moment (a host's background loop).</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class SqliteRestoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("crm-sqlite-restore-").FullName;

    [Fact]
    public async Task A_restore_waits_for_a_write_another_connection_holds_on_the_store_and_then_replaces_it()
    {
        using var stores = new SqliteStoreManager(new DataDirectory(_directory));
        var store = await stores.CreateStoreAsync("acme", null, CancellationToken.None);
        var live = SqliteStorageProvider.ConnectionStringFor(Path.Combine(_directory, store));
        await ExecuteAsync(live, "CREATE TABLE crm_metadata_state (id INTEGER); CREATE TABLE crm_system_schema (id INTEGER); CREATE TABLE note (text TEXT); INSERT INTO note VALUES ('before the backup');");
        var backup = Path.Combine(_directory, "acme.backup");
        await stores.BackupAsync(store, backup, CancellationToken.None);
        await ExecuteAsync(live, "UPDATE note SET text = 'after the backup';");

        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder(live) { Pooling = false }.ToString()))
        {
            await holder.OpenAsync();
            await using var write = holder.BeginTransaction(deferred: false);
            await using (var insert = holder.CreateCommand())
            {
                insert.CommandText = "INSERT INTO note VALUES ('a write in progress');";
                await insert.ExecuteNonQueryAsync();
            }

            var restore = stores.RestoreAsync(store, backup, CancellationToken.None);
            await Task.Delay(300);
            Assert.False(restore.IsCompleted, "The restore must wait while the other connection holds the write lock.");
            await write.RollbackAsync();
            await restore;
        }

        SqliteConnection.ClearAllPools();
        await using var check = new SqliteConnection(live);
        await check.OpenAsync();
        await using var read = check.CreateCommand();
        read.CommandText = "SELECT group_concat(text) FROM note;";
        Assert.Equal("before the backup", await read.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
