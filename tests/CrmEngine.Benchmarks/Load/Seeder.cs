using System.Diagnostics;
using System.Text.Json;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// A seeded store: the host's settings for it, the raw baseline's arguments, an admin key and ids to fetch.
/// </summary>
public sealed record Dataset(BenchStore Store, string DataDirectory, IReadOnlyList<string> RawArguments, string ApiKey, int Rows, IReadOnlyList<Guid> SampleIds)
{
    public Dictionary<string, string> HostSettings() => Store.HostSettings(DataDirectory, Rows);
}

/// <summary>
/// Seeds a store with one tenant holding <c>rows</c> leads, through the engine's bulk import path
/// (validation and hooks per record, batches written with one prepared statement on SQLite or
/// binary COPY on PostgreSQL, search entries). A store already seeded with the same row count is reused.
/// </summary>
public static class Seeder
{
    private const string TenantId = "bench";

    public static async Task<Dataset> EnsureAsync(BenchStore bench, string directory, int rows)
    {
        var marker = Path.Combine(directory, "seed.json");
        if (File.Exists(marker) && JsonSerializer.Deserialize<SeedInfo>(await File.ReadAllTextAsync(marker)) is { } info && info.Rows == rows)
        {
            Console.WriteLine($"Reusing {rows:N0} seeded leads in {(bench.IsPostgres ? bench.DatabaseConnectionString(rows) : directory)}.");
            return await OpenAsync(bench, directory, info);
        }

        await using (var provider = await bench.FreshEngineAsync(directory, rows.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            var catalog = provider.GetRequiredService<TenantCatalog>();
            await catalog.EnsureCreatedAsync(CancellationToken.None);
            await catalog.CreateTenantAsync(TenantId, "Benchmark", CancellationToken.None);
            var key = await catalog.CreateApiKeyAsync(TenantId, "bench", [CrmPrincipal.AdminRole], null, null, CancellationToken.None);
            var store = await provider.GetRequiredService<TenantRegistry>().GetAsync(TenantId, CancellationToken.None);
            await provider.GetRequiredService<MetadataService>().CreateEntityAsync(store, LeadDataset.Lead(), null, CancellationToken.None);
            var session = new CrmSession(store, new CrmPrincipal(TenantId, Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));

            var clock = Stopwatch.StartNew();
            var random = new Random(rows);
            var result = await provider.GetRequiredService<RecordImporter>().ImportAsync(session, "lead",
                Enumerable.Range(0, rows).Select(i => (IReadOnlyDictionary<string, object?>)LeadDataset.Row(i, random)), batchSize: 5000, CancellationToken.None);
            if (result.Refused.Count > 0)
            {
                throw new InvalidOperationException($"Seeding refused {result.Refused.Count} leads: {result.Refused[0].Errors[0].Message}");
            }

            Console.WriteLine($"Seeded {result.Imported:N0} leads in {clock.Elapsed.TotalSeconds:F1} s ({result.Imported / clock.Elapsed.TotalSeconds:N0} rows/s, validated, through RecordImporter).");
            await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(new SeedInfo(rows, key.Key)));
        }

        SqliteConnection.ClearAllPools();
        return await OpenAsync(bench, directory, new SeedInfo(rows, (JsonSerializer.Deserialize<SeedInfo>(await File.ReadAllTextAsync(marker)))!.ApiKey));
    }

    private static Task<Dataset> OpenAsync(BenchStore bench, string directory, SeedInfo info) =>
        bench.IsPostgres ? OpenPostgresAsync(bench, directory, info) : OpenSqliteAsync(bench, directory, info);

    /// <summary>Ids spread over the table (every n-th by id) and fresh planner statistics, as autovacuum would keep them.</summary>
    private static async Task<Dataset> OpenPostgresAsync(BenchStore bench, string directory, SeedInfo info)
    {
        var tenant = bench.TenantConnectionString(info.Rows);
        var ids = new List<Guid>();
        await using (var connection = new NpgsqlConnection(tenant))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM lead) s WHERE n % $1 = 0 LIMIT 2000", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = (long)Math.Max(1, info.Rows / 2000) });
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetGuid(0));
                }
            }

            await using var analyze = new NpgsqlCommand("ANALYZE", connection);
            await analyze.ExecuteNonQueryAsync();
        }

        NpgsqlConnection.ClearAllPools();
        return new Dataset(bench, directory, ["--pg", tenant], info.ApiKey, info.Rows, ids);
    }

    private static async Task<Dataset> OpenSqliteAsync(BenchStore bench, string directory, SeedInfo info)
    {
        var database = Path.Combine(directory, "tenants", TenantId + ".db");
        var ids = new List<Guid>();
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // Ids spread over the table: every n-th row by rowid.
            command.CommandText = "SELECT id FROM lead WHERE rowid % $step = 0 LIMIT 2000;";
            command.Parameters.AddWithValue("$step", Math.Max(1, info.Rows / 2000));
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(Guid.Parse(reader.GetString(0)));
            }

            // Planner statistics, as a production install would keep with PRAGMA optimize. Then a
            // checkpoint: pages left in the WAL (by seeding, or an earlier run's creates) make every
            // read of both servers look them up in the WAL index until some write checkpoints;
            // measured, the raw page ran at a quarter of its speed until then.
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);";
            await analyze.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        return new Dataset(bench, directory, ["--db", database], info.ApiKey, info.Rows, ids);
    }

    /// <summary>
    /// On SQLite, a copy of the seeded files for one run, so what a run writes (its creates) never
    /// reaches the next run: every run reads the data as seeded. (Measured on a dataset reused after
    /// runs that created 300,000 leads, the newest leads, appended together, filled the top of every
    /// sorted page and both servers read the page three times as fast as on the seeded data.)
    /// PostgreSQL runs on the seeded database itself.
    /// </summary>
    public static Dataset WorkingCopy(Dataset seeded)
    {
        if (seeded.Store.IsPostgres)
        {
            return seeded;
        }

        var copy = seeded.DataDirectory.TrimEnd(Path.DirectorySeparatorChar) + "-run";
        if (Directory.Exists(copy))
        {
            Directory.Delete(copy, recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(seeded.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(seeded.DataDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return seeded with { DataDirectory = copy, RawArguments = ["--db", Path.Combine(copy, "tenants", TenantId + ".db")] };
    }

    private sealed record SeedInfo(int Rows, string ApiKey);
}
