using BenchmarkDotNet.Running;
using CrmEngine.Benchmarks.Load;

// Load scenarios against the real host and a raw ADO.NET baseline (see README.md beside this file):
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- load --rows 100000,1000000 --seconds 10
// Leads loaded through createManyLeads (or --aliased createLead fields), rows/s:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- bulk --rows 100000 --batch 1000
// Bytes written to disk per create, one request at a time, engine vs raw (/proc/<pid>/io):
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- writes --creates 2000 [--rows 100000]
// Worst-case GraphQL documents, and a flood of them against a bystander:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- hostile --seconds 20   (--host <CrmEngine.Host.dll> measures another build)
// CSV import of 1M leads as an import job runs it (sniff, map, convert, validate, hooks, batches):
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- import --rows 1000000 [--store postgres]
// Subscription fan-out latency, commit to delivery, 1,000 WebSocket subscribers (two hosts over LISTEN/NOTIFY with --hosts 2 on PostgreSQL):
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- fanout --subscribers 1000 [--store postgres --hosts 2]
// A duplicate scan over 100k accounts (COMPANY_NAME rule), as startDuplicateScan runs it:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- dupes --rows 100000 [--store postgres]
// One background sweep over 200 idle tenants: the stores asked at once (as the loops do) vs each tenant opened in turn:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- sweep --tenants 200 [--store postgres]
// Tenants made by one `tenants create` with the default plugins, 1 vs --count of them (the marginal rate):
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- tenants-create --count 100 [--store postgres]
// Deal registration conflict checks (sales + partners plugins) against 100k accounts and 100k leads, p50/p95:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- deal-conflicts --rows 100000 --checks 400 [--store postgres]
// Marketing (issue 20): materialise a segment of 100k contacts; a journey tick over 100k members; the open pixel, req/s:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- mkt-segment --rows 100000 [--store postgres]
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- mkt-journey --rows 100000 [--store postgres]
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- mkt-open --members 20000 --seconds 10 --concurrency 32
// E-mail to case over real SMTP into the host (service plugin), sent -> case exists, messages/s:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- service-inbound --messages 2000 [--store postgres]
// One run of the service plugin's SLA sweep job over 100k open cases, as the scheduler runs it:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- sla-sweep --cases 100000 [--store postgres]
// Micro-benchmarks:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- --filter '*'
return args.FirstOrDefault() switch
{
    "load" => await LoadCommand.RunAsync(args[1..]),
    "raw-server" => await RawServer.RunAsync(args[1..]),
    "drive" => await LoadCommand.DriveAsync(args[1..]),
    "bulk" => await BulkLoadCommand.RunAsync(args[1..]),
    "writes" => await WriteAmplificationCommand.RunAsync(args[1..]),
    "profile-bulk" => await CrmEngine.Benchmarks.Micro.BulkWriteProfile.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "6", System.Globalization.CultureInfo.InvariantCulture), int.Parse(args.ElementAtOrDefault(2) ?? "1000", System.Globalization.CultureInfo.InvariantCulture)),
    "hostile" => (args.Contains("--host") ? LoadCommand.Option(args, "--host", string.Empty) : LoadCommand.HostAssembly()) is { } host ? await HostileDocumentsCommand.RunAsync(host, args[1..]) : 2,
    "hostile-flood" => await HostileDocumentsCommand.FloodAsync(args[1..]),
    "import" => await CrmEngine.Benchmarks.Import.ImportCommand.RunAsync(args[1..]),
    "export" => await CrmEngine.Benchmarks.Export.ExportCommand.RunAsync(args[1..]),
    "fanout" => await CrmEngine.Benchmarks.Subscriptions.FanOutCommand.RunAsync(args[1..]),
    "dupes" => await CrmEngine.Benchmarks.Duplicates.DuplicateScanCommand.RunAsync(args[1..]),
    "sweep" => await CrmEngine.Benchmarks.Sweeps.SweepCommand.RunAsync(args[1..]),
    "tenants-create" => await CrmEngine.Benchmarks.Tenancy.TenantCreationCommand.RunAsync(args[1..]),
    "deal-conflicts" => await CrmEngine.Benchmarks.Partners.DealConflictCommand.RunAsync(args[1..]),
    "mkt-segment" => await CrmEngine.Benchmarks.Marketing.SegmentCommand.RunAsync(args[1..]),
    "mkt-journey" => await CrmEngine.Benchmarks.Marketing.JourneyTickCommand.RunAsync(args[1..]),
    "mkt-open" => await CrmEngine.Benchmarks.Marketing.OpenPixelCommand.RunAsync(args[1..]),
    "service-inbound" => await CrmEngine.Benchmarks.Service.ServiceInboundCommand.RunAsync(args[1..]),
    "sla-sweep" => await CrmEngine.Benchmarks.Service.SlaSweepCommand.RunAsync(args[1..]),
    "messages" => await CrmEngine.Benchmarks.Messaging.MessagingCommand.RunAsync(args[1..]),
    "rule-flood" => await CrmEngine.Benchmarks.Rules.RuleFloodCommand.RunAsync(args[1..]),
    "rules-interleaved" => await RulesInterleavedAsync(int.Parse(args.ElementAtOrDefault(1) ?? "3000", System.Globalization.CultureInfo.InvariantCulture)),
    "profile-fields" => await ProfileFieldsAsync(int.Parse(args.ElementAtOrDefault(1) ?? "300", System.Globalization.CultureInfo.InvariantCulture)),
    "profile-page" => await ProfilePageAsync(int.Parse(args.ElementAtOrDefault(1) ?? "300", System.Globalization.CultureInfo.InvariantCulture), args.ElementAtOrDefault(2)),
    _ => Micro(args),
};

// Runs each layer of the read path in a loop, single-threaded, alternating, so a busy machine
// slows all of them alike; also a target for a sampling profiler (dotnet-trace).
static async Task<int> ProfilePageAsync(int iterations, string? only)
{
    var bench = new CrmEngine.Benchmarks.Micro.ReadPathBenchmarks();
    bench.Setup();
    var steps = new (string Name, Func<Task> Run)[]
    {
        ("ADO page", () => bench.AdoPage()), ("static LINQ page", () => bench.StaticLinqPage()), ("reader page", () => bench.ReaderPage()), ("reader page fields", () => bench.ReaderPageFields()), ("GraphQL page", () => bench.GraphQLPage()), ("GraphQL page ids", () => bench.GraphQLPageIds()),
        ("ADO get by id", () => bench.AdoGetById()), ("EF get by id", () => bench.EfGetById()), ("EF get by id, open", () => bench.EfGetByIdOnOpenConnection()), ("reader get by id", () => bench.ReaderGetById()), ("GraphQL get by id", () => bench.GraphQLGetById()), ("GraphQL typename", () => bench.GraphQLTypename()),
    };
    steps = steps.Where(s => only is null || s.Name.StartsWith(only, StringComparison.Ordinal)).ToArray();
    var compilations = 0;
    using var listener = System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(new CompilationCounter(() => Interlocked.Increment(ref compilations)));
    // Warm each step, then count what one call allocates (the garbage collector's share of a request).
    foreach (var step in steps)
    {
        for (var i = 0; i < 200; i++)
        {
            await step.Run();
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < 200; i++)
        {
            await step.Run();
        }

        Console.WriteLine($"{step.Name,-20} allocates {(GC.GetTotalAllocatedBytes(precise: true) - before) / 200 / 1024.0,8:F1} KB per call");
    }

    var times = await InTurnsAsync(steps.Select(s => s.Run).ToArray(), iterations);
    // On a shared machine the mean is mostly time the thread was not running; the median is the read's.
    for (var s = 0; s < steps.Length; s++)
    {
        Console.WriteLine($"{steps[s].Name,-20} {times[s].Average(),8:F3} ms median {times[s].Order().ElementAt(times[s].Count / 2),8:F3} ms");
    }

    Console.WriteLine($"EF query compilations during the loop: {compilations}");
    bench.Cleanup();
    return 0;
}

// The page of 50 with one field at a time next to `id`: what each field costs to read and resolve.
static async Task<int> ProfileFieldsAsync(int iterations)
{
    var bench = new CrmEngine.Benchmarks.Micro.ReadPathBenchmarks();
    bench.Setup();
    const string Page = "query($status: String!) { leads(first: 50, filter: { status: { eq: $status } }, orderBy: [{ lastContactedAt: DESC }]) { ";
    string[] fields = ["id", "id name", "id company", "id email", "id phone", "id status", "id source", "id score", "id budget { amount currency }", "id lastContactedAt"];
    var variants = fields.Select(f => (f, Page + "nodes { " + f + " } } }"))
        .Append(("edges { cursor node { id } }", Page + "edges { cursor node { id } } } }"))
        .Append(("all 11, no cursors", Page + "nodes { id name company email phone status source score budget { amount currency } lastContactedAt } } }"))
        .ToArray();
    var times = await InTurnsAsync(variants.Select(v => (Func<Task>)(async () =>
    {
        var result = await bench.GraphQL(v.Item2);
        if (result.Errors is { Count: > 0 } errors)
        {
            throw new InvalidOperationException(errors[0].Message);
        }
    })).ToArray(), iterations);
    for (var v = 0; v < variants.Length; v++)
    {
        Console.WriteLine($"{variants[v].Item1,-32} {times[v].Average(),8:F3} ms");
    }

    bench.Cleanup();
    return 0;
}

// Creates with 0, 1 and 5 before-rules, one of each in turn, in one process: a busy machine slows
// all three alike, which BenchmarkDotNet's one-case-after-another runs cannot promise.
static async Task<int> RulesInterleavedAsync(int iterations)
{
    int[] counts = [0, 1, 5];
    var benches = counts.Select(n => new CrmEngine.Benchmarks.Rules.CreateWithBeforeRulesBenchmark { Rules = n }).ToArray();
    foreach (var bench in benches)
    {
        bench.Setup();
        for (var i = 0; i < 200; i++)
        {
            await bench.Create();
        }
    }

    var times = await InTurnsAsync(benches.Select(b => (Func<Task>)b.Create).ToArray(), iterations);
    double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    var baseline = Median(times[0]);
    for (var b = 0; b < benches.Length; b++)
    {
        Console.WriteLine($"{counts[b]} rule(s): median {Median(times[b]):F3} ms, mean {times[b].Average():F3} ms, median/none {Median(times[b]) / baseline:F2}x");
        benches[b].Cleanup();
    }

    return 0;
}

// Runs the steps one after another, round after round, and returns each step's times in ms:
// taking turns makes load from elsewhere weigh on every step alike.
static async Task<List<double>[]> InTurnsAsync(IReadOnlyList<Func<Task>> steps, int iterations)
{
    var times = steps.Select(_ => new List<double>(iterations)).ToArray();
    for (var i = 0; i < iterations; i++)
    {
        for (var s = 0; s < steps.Count; s++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await steps[s]();
            times[s].Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    return times;
}

static int Micro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadCommand).Assembly).Run(args);
    return 0;
}

/// <summary>Counts EF Core query compilations (cache misses) through its DiagnosticListener.</summary>
internal sealed class CompilationCounter(Action onCompile) : IObserver<System.Diagnostics.DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    public void OnNext(System.Diagnostics.DiagnosticListener value)
    {
        if (value.Name == "Microsoft.EntityFrameworkCore")
        {
            value.Subscribe(this);
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == "Microsoft.EntityFrameworkCore.Query.QueryCompilationStarting")
        {
            onCompile();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
