using CrmEngine.Engine.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmEngine.Sdk.Testing;

/// <summary>
/// A test host's data: a temporary directory and, on PostgreSQL, a database of its own on the given
/// server, made here and dropped on dispose.
/// </summary>
internal sealed class TemporaryStore : IDisposable
{
    private readonly string? _server;

    private TemporaryStore(string directory, string? server, string? database, string? connectionString)
    {
        Directory = directory;
        _server = server;
        Database = database;
        ConnectionString = connectionString;
    }

    public string Directory { get; }

    public string? Database { get; }

    public string? ConnectionString { get; }

    public static TemporaryStore Create(string? postgresServer)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-sdk-testing", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        if (postgresServer is null)
        {
            return new TemporaryStore(directory, null, null, null);
        }

        var database = "crmtest_" + Guid.NewGuid().ToString("N")[..16];
        Execute(postgresServer, $"CREATE DATABASE \"{database}\"");
        // Idle connections go soon: every tenant has a pool of its own.
        var connectionString = new NpgsqlConnectionStringBuilder(postgresServer)
        {
            Database = database,
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
        return new TemporaryStore(directory, postgresServer, database, connectionString);
    }

    /// <summary>Host configuration for this store.</summary>
    public Dictionary<string, string?> Settings() => Database is null
        ? new() { ["Crm:DataDirectory"] = Directory }
        : new() { ["Crm:DataDirectory"] = Directory, ["Crm:Storage:Provider"] = StorageOptions.Postgres, ["Crm:Storage:ConnectionString"] = ConnectionString };

    public void Dispose()
    {
        if (Database is not null)
        {
            try
            {
                // FORCE ends the sessions still open on it (pooled connections, pruned once broken).
                Execute(_server!, $"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)");
            }
            catch (NpgsqlException)
            {
                // A stray test database is left on the server; nothing depends on it.
            }
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves a temporary folder behind.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static void Execute(string server, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        builder.Database ??= "postgres";
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
