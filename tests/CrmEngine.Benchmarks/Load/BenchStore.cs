using CrmEngine.Engine;
using CrmEngine.Postgres;
using CrmEngine.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// Which store the load benchmark seeds and serves: SQLite files in the data directory (the
/// default), or PostgreSQL (<c>--store postgres</c>), a database per data size on the server
/// <c>--postgres</c> names (default <c>CRM_BENCH_POSTGRES</c>, else a local server as postgres).
/// </summary>
public sealed record BenchStore(bool IsPostgres, string? Server)
{
    public const string TenantSchema = "tenant_bench";

    public static BenchStore Parse(string kind, string? server) => kind.ToLowerInvariant() switch
    {
        "sqlite" => new BenchStore(false, null),
        "postgres" => new BenchStore(true, server ?? Environment.GetEnvironmentVariable("CRM_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=postgres"),
        _ => throw new ArgumentException($"--store is '{kind}'; use sqlite or postgres."),
    };

    public string Name => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>The folder for a data size (the seed marker, and on SQLite the database files).</summary>
    public string DirectoryFor(string root, int rows) => Path.Combine(root, (IsPostgres ? "pg-" : string.Empty) + rows.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>PostgreSQL: the database that holds a data size's catalog and tenant.</summary>
    public string DatabaseConnectionString(int rows) => DatabaseConnectionString(rows.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>PostgreSQL: the database <c>crm_bench_&lt;name&gt;</c>.</summary>
    public string DatabaseConnectionString(string name) => new NpgsqlConnectionStringBuilder(Server) { Database = "crm_bench_" + name }.ConnectionString;

    /// <summary>PostgreSQL: the tenant's schema first, then wherever pg_trgm is (the engine puts it in crm_ext).</summary>
    public string TenantConnectionString(int rows) => new NpgsqlConnectionStringBuilder(DatabaseConnectionString(rows)) { SearchPath = TenantSchema + ",crm_ext,public" }.ConnectionString;

    /// <summary>PostgreSQL: drops and makes the data size's database again.</summary>
    public Task RecreateDatabaseAsync(int rows) => RecreateDatabaseAsync(rows.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>PostgreSQL: drops and makes the database <c>crm_bench_&lt;name&gt;</c> again.</summary>
    public async Task RecreateDatabaseAsync(string name)
    {
        var database = new NpgsqlConnectionStringBuilder(DatabaseConnectionString(name)).Database!;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", $"CREATE DATABASE \"{database}\"" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The host's settings (environment variables) for this store.</summary>
    public Dictionary<string, string> HostSettings(string directory, int rows) => HostSettings(directory, rows.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The host's settings for this store, on PostgreSQL in the database <c>crm_bench_&lt;name&gt;</c>.</summary>
    public Dictionary<string, string> HostSettings(string directory, string name) => IsPostgres
        ? new() { ["Crm__DataDirectory"] = directory, ["Crm__Storage__Provider"] = "Postgres", ["Crm__Storage__ConnectionString"] = DatabaseConnectionString(name) }
        : new() { ["Crm__DataDirectory"] = directory };

    /// <summary>
    /// The engine's services, in this process, over a new empty store: the folder <paramref name="directory"/>
    /// (made again) and on PostgreSQL the database <c>crm_bench_&lt;name&gt;</c> (dropped and made again).
    /// For seeding before the host starts.
    /// </summary>
    public async Task<ServiceProvider> FreshEngineAsync(string directory, string name) => (await FreshServicesAsync(directory, name)).BuildServiceProvider();

    /// <summary>The services of <see cref="FreshEngineAsync"/>, for a benchmark that adds its own (the import benchmark adds the import jobs).</summary>
    public async Task<ServiceCollection> FreshServicesAsync(string directory, string name)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        if (IsPostgres)
        {
            await RecreateDatabaseAsync(name);
        }

        return ServicesOver(directory, name);
    }

    /// <summary>The engine's services over what a fresh engine made before, as a second process (or a restarted one) would see it.</summary>
    public ServiceCollection ServicesOver(string directory, string name)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<CrmEngineOptions>().Configure(o =>
        {
            o.DataDirectory = directory;
            if (IsPostgres)
            {
                o.Storage.Provider = "Postgres";
                o.Storage.ConnectionString = DatabaseConnectionString(name);
            }
        });
        services.AddCrmEngineCore(directory);
        if (IsPostgres)
        {
            services.AddCrmPostgres();
        }
        else
        {
            services.AddCrmSqlite();
        }

        return services;
    }
}
