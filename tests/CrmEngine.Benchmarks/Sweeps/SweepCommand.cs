using System.Diagnostics;
using System.Globalization;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmEngine.Benchmarks.Sweeps;

/// <summary>
/// One background sweep over many idle tenants, two ways: the stores asked once which tenants have
/// work (<c>DueWorkProbe</c>, what the loops do), and every tenant opened and asked in turn (what they
/// did). Reports each way's time, the tenants it loaded, and on PostgreSQL the server connections the
/// process holds afterwards (each tenant's search_path gives it a pool of its own).
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- sweep --tenants 200 [--store postgres]
/// </summary>
public static class SweepCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(LoadCommand.Option(args, "--tenants", "200"), CultureInfo.InvariantCulture);
        var bench = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), null);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-sweep", bench.IsPostgres ? "pg" : "sqlite");
        var ids = Enumerable.Range(0, count).Select(i => "idle-" + i.ToString("D5", CultureInfo.InvariantCulture)).ToList();
        await using (var setup = await bench.FreshEngineAsync(directory, "sweep"))
        {
            var catalog = setup.GetRequiredService<TenantCatalog>();
            await catalog.EnsureCreatedAsync(CancellationToken.None);
            var made = Stopwatch.StartNew();
            foreach (var id in ids)
            {
                await catalog.CreateTenantAsync(id, id, CancellationToken.None);
            }

            Console.WriteLine($"{count} tenants made in {made.Elapsed.TotalSeconds:F1} s");
        }

        NpgsqlConnection.ClearAllPools();
        await using var engine = bench.ServicesOver(directory, "sweep").BuildServiceProvider();
        var registry = engine.GetRequiredService<TenantRegistry>();
        var probe = engine.GetRequiredService<OutboxDispatcher>().DueProbe();

        var asking = Stopwatch.StartNew();
        var due = await engine.GetRequiredService<TenantCatalog>().TenantsWithDueWorkAsync(probe, CancellationToken.None);
        asking.Stop();
        Console.WriteLine($"asked the stores:  {asking.Elapsed.TotalMilliseconds,8:F0} ms, {due.Count} tenants with work, {registry.OpenTenants.Count} loaded, {await ConnectionsAsync(bench)} server connections held");

        var opening = Stopwatch.StartNew();
        var busy = 0;
        foreach (var id in ids)
        {
            var store = await registry.GetAsync(id, CancellationToken.None);
            await using var context = store.CreateContext();
            busy += await context.Set<OutboxRow>().AnyAsync(r => r.ProcessedAt == null) ? 1 : 0;
        }

        opening.Stop();
        Console.WriteLine($"opened each one:   {opening.Elapsed.TotalMilliseconds,8:F0} ms, {busy} tenants with work, {registry.OpenTenants.Count} loaded, {await ConnectionsAsync(bench)} server connections held");
        return 0;
    }

    /// <summary>Connections to the benchmark's database, this process's pools' idle ones included; "-" on SQLite.</summary>
    private static async Task<string> ConnectionsAsync(BenchStore bench)
    {
        if (!bench.IsPostgres)
        {
            return "-";
        }

        await using var connection = new NpgsqlConnection(bench.DatabaseConnectionString("sweep"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = current_database()", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }
}
