using System.Globalization;
using System.Text;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// <c>writes</c>: bytes written to disk per create, the engine against the raw baseline. Each server
/// runs on its own fresh copy of a seeded tenant (SQLite) and gets <c>--creates</c> creates one
/// request at a time, after <c>--warmup</c> creates; the figure is the growth of the process's
/// <c>write_bytes</c> in <c>/proc/&lt;pid&gt;/io</c> (what it made the kernel write to storage,
/// WAL frames and checkpoints included) divided by the creates, and beside it the bytes the process
/// handed to the kernel in write calls (<c>wchar</c>, less the response bytes it sent back). The
/// first is what the issue names, but on this kernel it counts a whole large page-cache folio (up to
/// 2 MB) each time one byte of it is dirtied again after a sync, so it depends on how the file was
/// read or copied before; the second is the amount of data SQLite wrote (WAL frames and checkpoints).
/// Sequential requests are the worst case: nothing shares a commit.
/// Options: --creates 2000 --warmup 200 --rows 100000 --data /tmp/crm-bench --store sqlite|postgres.
/// </summary>
public static class WriteAmplificationCommand
{
    /// <summary>About what Kestrel sends before a small JSON body (status line, date, type, length).</summary>
    private const int ResponseHeadBytes = 150;

    public static async Task<int> RunAsync(string[] args)
    {
        var creates = int.Parse(LoadCommand.Option(args, "--creates", "2000"), CultureInfo.InvariantCulture);
        var warmup = int.Parse(LoadCommand.Option(args, "--warmup", "200"), CultureInfo.InvariantCulture);
        var rows = int.Parse(LoadCommand.Option(args, "--rows", "100000"), CultureInfo.InvariantCulture);
        var root = LoadCommand.Option(args, "--data", Path.Combine(Path.GetTempPath(), "crm-bench"));
        var store = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), args.Contains("--postgres") ? LoadCommand.Option(args, "--postgres", string.Empty) : null);
        if (LoadCommand.HostAssembly() is not { } hostAssembly)
        {
            return 2;
        }

        var seeded = await Seeder.EnsureAsync(store, store.DirectoryFor(root, rows), rows);
        var create = Scenarios.All(seeded, seeded.ApiKey).Single(s => s.IsWrite);
        Console.WriteLine($"Bytes written per create on {store.Name}, {rows:N0} seeded rows, {creates:N0} creates one at a time after {warmup} warm-up creates:");

        var dataset = Seeder.WorkingCopy(seeded);
        await using (var engine = await ServerProcess.StartAsync(hostAssembly, [], LoadCommand.HostEnvironment(dataset.HostSettings()), "/health"))
        {
            await DrainOutboxAsync(dataset);
            Report("engine", await MeasureAsync(engine, create.Engine, creates, warmup, store.IsPostgres), creates, store.IsPostgres);
        }

        dataset = Seeder.WorkingCopy(seeded);
        await using (var raw = await ServerProcess.StartAsync(typeof(RawServer).Assembly.Location, ["raw-server", .. dataset.RawArguments, "--port", "{port}"], new Dictionary<string, string>(), "/health"))
        {
            Report("raw", await MeasureAsync(raw, create.Raw, creates, warmup, store.IsPostgres), creates, store.IsPostgres);
        }

        return 0;
    }

    private static async Task<(long Disk, long Written)> MeasureAsync(ServerProcess server, Func<Random, HttpRequestMessage> request, int creates, int warmup, bool postgres)
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var random = new Random(7);
        long responseBytes = 0;
        async Task SendAsync()
        {
            using var message = request(random);
            using var response = await http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            responseBytes += Encoding.UTF8.GetByteCount(body) + ResponseHeadBytes;
            if (!response.IsSuccessStatusCode || body.Contains("\"errors\"", StringComparison.Ordinal) || body.Contains("\"userErrors\":[{", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("A create failed: " + body[..Math.Min(body.Length, 300)]);
            }
        }

        for (var i = 0; i < warmup; i++)
        {
            await SendAsync();
        }

        // On PostgreSQL the server's processes write, not the host: their share is not in this figure.
        var before = IoCounters(server.Pid);
        responseBytes = 0;
        for (var i = 0; i < creates; i++)
        {
            await SendAsync();
        }

        // The background loops (outbox dispatch, after stage) finish what the last creates left.
        await Task.Delay(TimeSpan.FromSeconds(postgres ? 1 : 3));
        var after = IoCounters(server.Pid);
        return (after.Disk - before.Disk, after.Written - before.Written - responseBytes);
    }

    /// <summary>
    /// The seeded rows' outbox entries are dispatched by the host after it starts (about 3,000 a
    /// second): measuring before they are all handled would count that catch-up as the creates' cost.
    /// </summary>
    private static async Task DrainOutboxAsync(Dataset dataset)
    {
        if (dataset.Store.IsPostgres)
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dataset.RawArguments[1]};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var pending = connection.CreateCommand();
        pending.CommandText = "SELECT count(*) FROM crm_outbox WHERE processed_at IS NULL";
        while (Convert.ToInt64(await pending.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0)
        {
            await Task.Delay(500);
        }

        Console.WriteLine($"  (the seeded rows' outbox entries were dispatched in {started.Elapsed.TotalSeconds:F0} s before measuring)");
    }

    private static void Report(string side, (long Disk, long Written) bytes, int creates, bool postgres) =>
        Console.WriteLine($"  {side,-7} write_bytes {bytes.Disk / 1024.0 / creates,7:F1} KB per create; written by the process {bytes.Written / 1024.0 / creates,6:F1} KB per create"
            + (postgres ? " (the host process only: the database server's own writes are not counted)" : string.Empty));

    /// <summary>
    /// From <c>/proc/&lt;pid&gt;/io</c>: the bytes the process caused to be sent to storage
    /// (<c>write_bytes</c>) and the bytes it passed to write calls, files and sockets (<c>wchar</c>).
    /// </summary>
    private static (long Disk, long Written) IoCounters(int pid)
    {
        var counters = File.ReadLines($"/proc/{pid}/io").Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture));
        return (counters["write_bytes"], counters["wchar"]);
    }
}
