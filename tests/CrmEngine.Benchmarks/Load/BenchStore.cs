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
    public string DatabaseConnectionString(int rows) => new NpgsqlConnectionStringBuilder(Server) { Database = "crm_bench_" + rows.ToString(System.Globalization.CultureInfo.InvariantCulture) }.ConnectionString;

    /// <summary>PostgreSQL: the tenant's schema first, then wherever pg_trgm is (the engine puts it in crm_ext).</summary>
    public string TenantConnectionString(int rows) => new NpgsqlConnectionStringBuilder(DatabaseConnectionString(rows)) { SearchPath = TenantSchema + ",crm_ext,public" }.ConnectionString;

    /// <summary>PostgreSQL: drops and makes the data size's database again.</summary>
    public async Task RecreateDatabaseAsync(int rows)
    {
        var database = new NpgsqlConnectionStringBuilder(DatabaseConnectionString(rows)).Database!;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", $"CREATE DATABASE \"{database}\"" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The host's settings (environment variables) for this store.</summary>
    public Dictionary<string, string> HostSettings(string directory, int rows) => IsPostgres
        ? new() { ["Crm__DataDirectory"] = directory, ["Crm__Storage__Provider"] = "Postgres", ["Crm__Storage__ConnectionString"] = DatabaseConnectionString(rows) }
        : new() { ["Crm__DataDirectory"] = directory };
}
