using System.Globalization;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// <c>load</c>: for each data size, seeds (or reuses) a tenant, starts the real host and the raw
/// baseline in their own processes one after the other, drives each with the five scenarios and
/// prints requests/s, p50, p99, peak RSS and the engine/raw ratios.
/// Options: --rows 100000,1000000  --seconds 10  --warmup 20  --turn 2  --concurrency 16  --data /tmp/crm-bench
/// --store sqlite|postgres  --postgres "Host=127.0.0.1;Port=5432;Username=postgres" (see <see cref="BenchStore"/>).
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = Option(args, "--rows", "100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var seconds = double.Parse(Option(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var warmup = double.Parse(Option(args, "--warmup", "20"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Option(args, "--concurrency", "16"), CultureInfo.InvariantCulture);
        var root = Option(args, "--data", Path.Combine(Path.GetTempPath(), "crm-bench"));
        var store = BenchStore.Parse(Option(args, "--store", "sqlite"), args.Contains("--postgres") ? Option(args, "--postgres", string.Empty) : null);
        if (HostAssembly() is not { } hostAssembly)
        {
            return 2;
        }

        Console.WriteLine($"CrmEngine load benchmark on {store.Name}: concurrency {concurrency}, {warmup} s warm-up + {seconds} s per scenario, {Environment.ProcessorCount} cores.");
        var pages = new Dictionary<int, LoadResult>();
        foreach (var rows in sizes)
        {
            var dataset = Seeder.WorkingCopy(await Seeder.EnsureAsync(store, store.DirectoryFor(root, rows), rows));
            await using var engineServer = await ServerProcess.StartAsync(hostAssembly, [], HostEnvironment(dataset.HostSettings()), "/health");
            await using var rawServer = await ServerProcess.StartAsync(typeof(RawServer).Assembly.Location,
                ["raw-server", .. dataset.RawArguments, "--port", "{port}"], new Dictionary<string, string>(), "/health");
            var (engine, raw) = await RunInterleavedAsync(dataset, engineServer, rawServer, concurrency, warmup, seconds, Turn(args));
            Report(store, rows, engine, raw);
            pages[rows] = engine.Results[0];
        }

        if (pages.Count > 1)
        {
            var (small, large) = (pages.MinBy(p => p.Key), pages.MaxBy(p => p.Key));
            Console.WriteLine($"Filtered page, {large.Key:N0} vs {small.Key:N0} rows: p50 {large.Value.P50Ms:F2} ms vs {small.Value.P50Ms:F2} ms = {large.Value.P50Ms / small.Value.P50Ms:F2}x; "
                + $"throughput {large.Value.RequestsPerSecond:F0} vs {small.Value.RequestsPerSecond:F0} req/s (target: no slower than 2x).");
        }

        return 0;
    }

    /// <summary>
    /// <c>drive</c>: one engine scenario against a host that is already running (to profile it with
    /// dotnet-trace). Options: --url http://127.0.0.1:5080 --data /tmp/crm-bench/100000 --scenario 0..5 --seconds 20;
    /// --raw drives the scenario's raw-baseline request instead (against <c>raw-server</c>);
    /// --raw-url http://127.0.0.1:5090 compares the two in turns, as <c>load</c> does (--warmup seconds each first).
    /// </summary>
    public static async Task<int> DriveAsync(string[] args)
    {
        var directory = Option(args, "--data", Path.Combine(Path.GetTempPath(), "crm-bench", "100000"));
        var store = BenchStore.Parse(Option(args, "--store", "sqlite"), args.Contains("--postgres") ? Option(args, "--postgres", string.Empty) : null);
        var rows = int.Parse(Path.GetFileName(directory.TrimEnd('/')).Replace("pg-", string.Empty, StringComparison.Ordinal).Replace("-run", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var dataset = await Seeder.EnsureAsync(store, directory, rows);
        var scenario = Scenarios.All(dataset, dataset.ApiKey)[int.Parse(Option(args, "--scenario", "1"), CultureInfo.InvariantCulture)];
        using var http = new HttpClient { BaseAddress = new Uri(Option(args, "--url", "http://127.0.0.1:5080")) };
        var concurrency = int.Parse(Option(args, "--concurrency", "16"), CultureInfo.InvariantCulture);
        var seconds = TimeSpan.FromSeconds(double.Parse(Option(args, "--seconds", "20"), CultureInfo.InvariantCulture));
        if (args.Contains("--raw-url"))
        {
            using var rawHttp = new HttpClient { BaseAddress = new Uri(Option(args, "--raw-url", "http://127.0.0.1:5090")) };
            var (e, r) = await LoadDriver.RunAlternatingAsync(scenario.Name, new LoadDriver.Side("engine", http, scenario.Engine, Scenarios.EngineSucceeded),
                new LoadDriver.Side("raw", rawHttp, scenario.Raw, Scenarios.RawSucceeded), concurrency,
                TimeSpan.FromSeconds(double.Parse(Option(args, "--warmup", "5"), CultureInfo.InvariantCulture)), seconds, Turn(args));
            Console.WriteLine($"{scenario.Name}: engine {e.RequestsPerSecond:F0} req/s (p50 {e.P50Ms:F2} ms, errors {e.Errors}), raw {r.RequestsPerSecond:F0} req/s (p50 {r.P50Ms:F2} ms, errors {r.Errors}), ratio {e.RequestsPerSecond / r.RequestsPerSecond:F2}");
            return 0;
        }

        var raw = args.Contains("--raw");
        var result = await LoadDriver.RunAsync(scenario.Name, raw ? "raw" : "engine", http, raw ? scenario.Raw : scenario.Engine, raw ? Scenarios.RawSucceeded : Scenarios.EngineSucceeded,
            concurrency, TimeSpan.FromSeconds(1), seconds);
        Console.WriteLine($"{result.Scenario}: {result.RequestsPerSecond:F0} req/s, p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms, errors {result.Errors}");
        return 0;
    }

    /// <summary>
    /// Both servers run side by side (only one is loaded at a time); each scenario warms both up and
    /// then measures them in turns of two-second windows, so a busy machine skews both sides of a ratio alike.
    /// </summary>
    private static async Task<((IReadOnlyList<LoadResult> Results, double PeakRssMiB) Engine, (IReadOnlyList<LoadResult> Results, double PeakRssMiB) Raw)> RunInterleavedAsync(
        Dataset dataset, ServerProcess engineServer, ServerProcess rawServer, int concurrency, double warmup, double seconds, TimeSpan turn)
    {
        HttpClient Client(ServerProcess server) => new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = server.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };

        using var engineHttp = Client(engineServer);
        using var rawHttp = Client(rawServer);
        var engine = new List<LoadResult>();
        var raw = new List<LoadResult>();
        foreach (var scenario in Scenarios.All(dataset, dataset.ApiKey))
        {
            var (e, r) = await LoadDriver.RunAlternatingAsync(scenario.Name,
                new LoadDriver.Side("engine", engineHttp, scenario.Engine, Scenarios.EngineSucceeded),
                new LoadDriver.Side("raw", rawHttp, scenario.Raw, Scenarios.RawSucceeded),
                concurrency, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds), turn);
            foreach (var result in new[] { e, r })
            {
                Console.WriteLine($"  {result.Target,-6} {scenario.Name,-50} {result.RequestsPerSecond,9:F0} req/s  p50 {result.P50Ms,7:F2} ms  p99 {result.P99Ms,7:F2} ms  errors {result.Errors}  (warm after {result.WarmupSeconds:F0} s)");
            }

            engine.Add(e);
            raw.Add(r);
        }

        return ((engine, engineServer.PeakRssMiB()), (raw, rawServer.PeakRssMiB()));
    }

    private static void Report(BenchStore store, int rows, (IReadOnlyList<LoadResult> Results, double PeakRssMiB) engine, (IReadOnlyList<LoadResult> Results, double PeakRssMiB) raw)
    {
        Console.WriteLine();
        Console.WriteLine($"## {rows:N0} leads, {store.Name}");
        Console.WriteLine("| scenario | engine req/s | engine p50 / p99 ms | raw req/s | raw p50 / p99 ms | engine/raw (req/s) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (var i = 0; i < engine.Results.Count; i++)
        {
            var (e, r) = (engine.Results[i], raw.Results[i]);
            Console.WriteLine($"| {e.Scenario} | {e.RequestsPerSecond:F0} | {e.P50Ms:F2} / {e.P99Ms:F2} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} / {r.P99Ms:F2} | {e.RequestsPerSecond / r.RequestsPerSecond:F2} |");
        }

        Console.WriteLine($"Peak RSS: engine {engine.PeakRssMiB:F0} MiB, raw {raw.PeakRssMiB:F0} MiB.");
        Console.WriteLine();
    }

    /// <summary>How long each side is measured before the other takes its turn (--turn seconds, default 2).</summary>
    private static TimeSpan Turn(string[] args) => TimeSpan.FromSeconds(double.Parse(Option(args, "--turn", "2"), CultureInfo.InvariantCulture));

    internal static string Option(string[] args, string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

    /// <summary>The Release host to start, or null (and why, on stderr) when it isn't built.</summary>
    internal static string? HostAssembly()
    {
        var hostAssembly = Path.Combine(RepositoryRoot(), "host", "CrmEngine.Host", "bin", "Release", "net10.0", "CrmEngine.Host.dll");
        if (File.Exists(hostAssembly))
        {
            return hostAssembly;
        }

        Console.Error.WriteLine($"Build the host in Release first ({hostAssembly} is missing): dotnet build -c Release");
        return null;
    }

    /// <summary>The host's environment for a benchmark: the store's settings, Production, quiet logs, no demo tenant or default plugins.</summary>
    internal static Dictionary<string, string> HostEnvironment(IDictionary<string, string> store) => new(store)
    {
        ["Crm__CreateDemoTenant"] = "false",
        ["Crm__DefaultPlugins"] = string.Empty,
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:{port}",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        // One key drives thousands of requests a second here: the rate limiter still
        // runs (its cost is measured) but with buckets no benchmark empties.
        ["Crm__Endpoint__PerCaller__PermitsPerSecond"] = "10000000",
        ["Crm__Endpoint__PerCaller__Burst"] = "10000000",
        ["Crm__Endpoint__PerTenant__PermitsPerSecond"] = "10000000",
        ["Crm__Endpoint__PerTenant__Burst"] = "10000000",
    };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CrmEngine.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the load command from inside the repository.");
    }
}
