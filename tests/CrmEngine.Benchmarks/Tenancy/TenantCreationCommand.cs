using System.Diagnostics;
using System.Globalization;
using CrmEngine.Benchmarks.Load;

namespace CrmEngine.Benchmarks.Tenancy;

/// <summary>
/// Tenants made by the batch verb, with the host's default plugins (sales, marketing, service,
/// partners), into a fresh store: the Release host's <c>tenants create</c> run once with one id and
/// once with <c>--count</c> ids, each a process of its own, so the second run's extra time is what
/// the extra tenants cost once the process is up. Prints both times and that marginal rate.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- tenants-create --count 100 [--store postgres]
/// </summary>
public static class TenantCreationCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(LoadCommand.Option(args, "--count", "100"), CultureInfo.InvariantCulture);
        var bench = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), null);
        if (LoadCommand.HostAssembly() is not { } host)
        {
            return 2;
        }

        var one = await CreateAsync(bench, host, 1);
        var many = await CreateAsync(bench, host, count);
        var marginal = (count - 1) / (many - one).TotalSeconds;
        Console.WriteLine($"store {(bench.IsPostgres ? "PostgreSQL" : "SQLite")}, default plugins: 1 tenant {one.TotalSeconds:F2} s, {count} tenants {many.TotalSeconds:F2} s; each tenant after the first {(many - one).TotalMilliseconds / (count - 1):F0} ms ({marginal:F1} tenants/s)");
        return 0;
    }

    private static async Task<TimeSpan> CreateAsync(BenchStore bench, string host, int count)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-tenants", count.ToString(CultureInfo.InvariantCulture));
        await using (await bench.FreshEngineAsync(directory, "tenants"))
        {
            // A fresh folder, and on PostgreSQL a fresh database, for the host to make its catalog in.
        }

        // Run from the host's folder, as a deployment does: its content root is where appsettings.json
        // names the default plugins; from anywhere else the tenants would be made without them.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(host)! };
        info.ArgumentList.Add(host);
        info.ArgumentList.Add("tenants");
        info.ArgumentList.Add("create");
        foreach (var i in Enumerable.Range(1, count))
        {
            info.ArgumentList.Add("bench-" + i.ToString("D5", CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in bench.HostSettings(directory, "tenants"))
        {
            info.Environment[key] = value;
        }

        info.Environment["Crm__CreateDemoTenant"] = "false";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        var keys = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("crm_", StringComparison.Ordinal));
        if (process.ExitCode != 0 || keys != count)
        {
            throw new InvalidOperationException($"tenants create of {count} exited with {process.ExitCode} and {keys} keys: {await error}");
        }

        await CheckPluginsAsync(bench, directory, "bench-" + count.ToString("D5", CultureInfo.InvariantCulture));
        return clock.Elapsed;
    }

    /// <summary>The last tenant made has every default plugin on: a figure for tenants without them would flatter.</summary>
    private static async Task CheckPluginsAsync(BenchStore bench, string directory, string tenant)
    {
        const string sql = "SELECT count(*) FROM crm_plugin_state";
        long enabled;
        if (bench.IsPostgres)
        {
            await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(bench.DatabaseConnectionString("tenants")) { SearchPath = "tenant_" + tenant.Replace('-', '_') }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            enabled = (long)(await command.ExecuteScalarAsync())!;
        }
        else
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, "tenants", tenant + ".db")};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = new Microsoft.Data.Sqlite.SqliteCommand(sql, connection);
            enabled = (long)(await command.ExecuteScalarAsync())!;
        }

        if (enabled != DefaultPlugins)
        {
            throw new InvalidOperationException($"Tenant '{tenant}' has {enabled} plugins on, not the {DefaultPlugins} default ones: the host ran without its settings.");
        }
    }

    private const int DefaultPlugins = 4;
}
