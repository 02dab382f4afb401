using CrmEngine.Engine;
using CrmEngine.Engine.Storage;
using CrmEngine.Postgres;
using CrmEngine.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmEngine.Testing;

/// <summary>
/// Which store the storage-facing tests run on. SQLite files by default; PostgreSQL when
/// <c>CRM_TEST_PROVIDER=postgres</c>, on the server <c>CRM_TEST_POSTGRES</c> names (a connection string
/// whose user may create databases; each test store gets a database of its own). <c>.ci/run</c>
/// runs the suite once each way.
/// </summary>
public static class TestStorage
{
    public const string ProviderVariable = "CRM_TEST_PROVIDER";
    public const string ServerVariable = "CRM_TEST_POSTGRES";

    /// <summary>How to run the PostgreSQL pass, for skip and failure messages.</summary>
    public const string HowToRunPostgres = "Run the PostgreSQL pass with CRM_TEST_PROVIDER=postgres and CRM_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres' (docs/operations.md: \"Running the tests\"), or bash .ci/run.";

    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Under CI, tests that need PostgreSQL fail rather than skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ServerConnectionString => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured
        ? configured
        : "Host=127.0.0.1;Port=5432;Username=postgres";

    /// <summary>Registers the provider the tests run on (with AddCrmEngineCore).</summary>
    public static void AddProvider(IServiceCollection services)
    {
        if (IsPostgres)
        {
            services.AddCrmPostgres();
        }
        else
        {
            services.AddCrmSqlite();
        }
    }
}

/// <summary>Test traits that pick which pass runs a test class.</summary>
public static class StoreTraits
{
    public const string Name = "Store";

    /// <summary>Tests that touch no store (or only as scaffolding): the PostgreSQL pass leaves them out.</summary>
    public const string Independent = "Independent";

    /// <summary>Tests of PostgreSQL-only behaviour (several hosts, COPY, pg_dump): the SQLite pass leaves them out.</summary>
    public const string PostgresOnly = "PostgresOnly";
}

/// <summary>
/// A fact that needs PostgreSQL. Outside CI, without <c>CRM_TEST_PROVIDER=postgres</c> it is skipped
/// with a message saying how to run it; under CI it always runs, and fails loudly if PostgreSQL is
/// not what the tests were given. Put the class in <see cref="StoreTraits.PostgresOnly"/> as well.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestStorage.IsPostgres && !TestStorage.InCi)
        {
            Skip = "Needs PostgreSQL. " + TestStorage.HowToRunPostgres;
        }
    }
}

/// <summary>
/// One test's store: a data directory of its own and, on PostgreSQL, a database of its own, made
/// here and dropped on dispose. Hosts or harnesses given the same TestStore share the data (two
/// hosts on one database, a restart).
/// </summary>
public sealed class TestStore : IDisposable, IAsyncDisposable
{
    private TestStore(string dataDirectory, string? database, string? connectionString)
    {
        DataDirectory = dataDirectory;
        Database = database;
        ConnectionString = connectionString;
    }

    public string DataDirectory { get; }

    /// <summary>The PostgreSQL database, or null on SQLite.</summary>
    public string? Database { get; }

    /// <summary>The connection string of the PostgreSQL database, or null on SQLite.</summary>
    public string? ConnectionString { get; }

    public bool IsPostgres => Database is not null;

    /// <summary>A store on whichever provider the tests run on.</summary>
    public static TestStore Create() => TestStorage.IsPostgres ? CreatePostgres() : CreateSqlite();

    /// <summary>A store of SQLite files whatever the pass, for tests of SQLite-only behaviour.</summary>
    public static TestStore CreateSqlite() => new(NewDirectory(), null, null);

    /// <summary>A PostgreSQL store, for tests of PostgreSQL-only behaviour; fails with directions when the tests were not given PostgreSQL.</summary>
    public static TestStore CreatePostgres()
    {
        if (!TestStorage.IsPostgres)
        {
            throw new InvalidOperationException("This test needs PostgreSQL. " + TestStorage.HowToRunPostgres);
        }

        var database = "crmtest_" + Guid.NewGuid().ToString("N")[..16];
        var server = new NpgsqlConnectionStringBuilder(TestStorage.ServerConnectionString);
        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = server.Database ?? "postgres", Pooling = false }.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"CRM_TEST_PROVIDER is postgres, but no PostgreSQL database could be made on '{server.Host}:{server.Port}' ({e.Message}). {TestStorage.HowToRunPostgres}", e);
        }

        // Idle connections go soon: every test makes tenants, each with a pool of its own.
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Database = database,
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
        return new TestStore(NewDirectory(), database, connectionString);
    }

    /// <summary>Host settings (configuration keys) for this store.</summary>
    public Dictionary<string, string?> Settings() => IsPostgres
        ? new() { ["Crm:DataDirectory"] = DataDirectory, ["Crm:Storage:Provider"] = StorageOptions.Postgres, ["Crm:Storage:ConnectionString"] = ConnectionString }
        : new() { ["Crm:DataDirectory"] = DataDirectory };

    /// <summary>Engine options for this store.</summary>
    public void Configure(CrmEngineOptions options)
    {
        options.DataDirectory = DataDirectory;
        if (IsPostgres)
        {
            options.Storage.Provider = StorageOptions.Postgres;
            options.Storage.ConnectionString = ConnectionString;
        }
    }

    /// <summary>Registers this store's provider (with AddCrmEngineCore).</summary>
    public void AddProvider(IServiceCollection services)
    {
        if (IsPostgres)
        {
            services.AddCrmPostgres();
        }
        else
        {
            services.AddCrmSqlite();
        }
    }

    public void Dispose()
    {
        if (IsPostgres)
        {
            // FORCE ends the sessions still open on it (pooled connections, which are pruned once broken).
            try
            {
                var server = new NpgsqlConnectionStringBuilder(TestStorage.ServerConnectionString);
                using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = server.Database ?? "postgres", Pooling = false }.ConnectionString);
                connection.Open();
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // A throwaway server keeps a stray test database; nothing else depends on it.
            }
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves a temp folder behind.
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));
}
