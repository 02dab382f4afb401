using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// <c>hostile</c>: what worst-case GraphQL documents cost the Release host, and what a flood of them
/// from one key does to another key. Starts the host on a fresh store with two tenants (attacker and
/// bystander, default limits), times each worst-case document once, then measures the bystander's
/// latency (a paced small query) idle and while the attacker floods.
/// Options: --seconds 20 (flood and idle windows)  --concurrency 16 (attacker workers)  --rate 40 (bystander requests/s; the default per-key limit is 50)
/// --host path/to/CrmEngine.Host.dll (another build, e.g. an earlier commit's, for a before/after)  --timeout 300 (seconds one document may take)
/// --attacker-nice 0 (the attacker process's niceness: on one machine, a positive value stands in for an attacker on another)
/// --documents 0,3 (the attacker sends only these of the worst-case documents, by their place in the table; all by default).
/// </summary>
public static class HostileDocumentsCommand
{
    /// <summary>How many times each worst-case document is sent again after the first, for a warm figure.</summary>
    private const int Repeats = 4;

    public static async Task<int> RunAsync(string hostAssembly, string[] args)
    {
        var seconds = TimeSpan.FromSeconds(double.Parse(LoadCommand.Option(args, "--seconds", "20"), CultureInfo.InvariantCulture));
        var concurrency = int.Parse(LoadCommand.Option(args, "--concurrency", "16"), CultureInfo.InvariantCulture);
        var rate = int.Parse(LoadCommand.Option(args, "--rate", "40"), CultureInfo.InvariantCulture);
        var data = Directory.CreateTempSubdirectory("crm-hostile-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Crm__DataDirectory"] = data,
            ["Crm__CreateDemoTenant"] = "false",
            ["Crm__DefaultPlugins"] = string.Empty,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Error",
        };
        var attackerKey = await CreateTenantAsync(hostAssembly, environment, "attacker");
        var bystanderKey = await CreateTenantAsync(hostAssembly, environment, "bystander");
        await using var server = await ServerProcess.StartAsync(hostAssembly, [], environment, "/health");
        var timeout = TimeSpan.FromSeconds(double.Parse(LoadCommand.Option(args, "--timeout", "300"), CultureInfo.InvariantCulture));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency + 8 }) { BaseAddress = server.Address, Timeout = timeout };

        for (var i = 0; i < 50; i++)
        {
            await SendAsync(http, attackerKey, "{ me { tenant } metadataVersion }");
        }

        Console.WriteLine($"Worst-case documents, one at a time ({Environment.ProcessorCount} cores), the first time and then the median of {Repeats} more:");
        foreach (var (name, document) in Documents())
        {
            var times = new List<double>();
            var outcome = string.Empty;
            for (var i = 0; i <= Repeats && !server.HasExited; i++)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    var (status, code) = await SendAsync(http, attackerKey, document);
                    outcome = $"{status} {code}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // An earlier build could take minutes or end the whole process on some of these.
                    outcome = server.HasExited ? "the server process ended" : $"no answer ({e.GetType().Name})";
                    break;
                }

                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            var again = times.Count > 1 ? $"{Percentile(times.Skip(1).ToList(), 0.5),8:F1} ms" : "        -   ";
            Console.WriteLine($"  {name,-44} {Encoding.UTF8.GetByteCount(document),9:N0} bytes  {(times.Count > 0 ? times[0] : double.NaN),8:F1} ms  {again}  {outcome}");
            if (server.HasExited)
            {
                return 1;
            }
        }

        var warm = await PacedAsync(http, bystanderKey, rate, TimeSpan.FromSeconds(5), CancellationToken.None);
        var idleCpu = ServerCpu(server.Pid);
        var idle = await PacedAsync(http, bystanderKey, rate, seconds, CancellationToken.None);
        idleCpu = ServerCpu(server.Pid) - idleCpu;
        var nice = int.Parse(LoadCommand.Option(args, "--attacker-nice", "0"), CultureInfo.InvariantCulture);
        var flood = FloodProcessAsync(server.Address, attackerKey, concurrency, seconds + TimeSpan.FromSeconds(1), nice, LoadCommand.Option(args, "--documents", string.Empty));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var floodCpu = ServerCpu(server.Pid);
        var loaded = await PacedAsync(http, bystanderKey, rate, seconds, CancellationToken.None);
        floodCpu = ServerCpu(server.Pid) - floodCpu;
        var sent = await flood;
        Console.WriteLine($"Bystander ({rate}/s, `{{ me {{ tenant }} metadataVersion }}`), {seconds.TotalSeconds:F0} s each, after {warm.Count} warm-up requests:");
        Console.WriteLine($"  idle:            p50 {Percentile(idle, 0.5):F2} ms  p99 {Percentile(idle, 0.99):F2} ms  ({idle.Count} requests; server CPU {idleCpu / seconds.TotalSeconds:P0} of one core)");
        Console.WriteLine($"  during the flood: p50 {Percentile(loaded, 0.5):F2} ms  p99 {Percentile(loaded, 0.99):F2} ms  ({loaded.Count} requests; server CPU {floodCpu / seconds.TotalSeconds:P0} of one core)");
        Console.WriteLine($"  p99 under flood / idle = {Percentile(loaded, 0.99) / Percentile(idle, 0.99):F2}x (target: at most 2x)");
        Console.WriteLine($"Attacker (its own process{(nice == 0 ? "" : $", nice {nice}")}): {concurrency} workers sent {sent.Values.Sum()} worst-case documents: " + string.Join(", ", sent.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));
        return 0;
    }

    /// <summary>The documents that cost minutes before the guard counted them, and the most expensive ones it lets through.</summary>
    private static IEnumerable<(string Name, string Document)> Documents()
    {
        static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
        yield return ("65,000 repeated fields (1 MB)", "{ " + Repeat("metadataVersion ", 65_000) + "}");
        yield return ("20,000 @skip directives", "{ metadataVersion " + Repeat("@skip(if: false) ", 20_000) + "}");
        yield return ("8,000 fragments side by side", "{ " + string.Concat(Enumerable.Range(0, 8000).Select(i => $"...f{i} ")) + "} " + string.Join(' ', Enumerable.Range(0, 8000).Select(i => $"fragment f{i} on Query {{ metadataVersion }}")));
        yield return ("10,000 unused variables", "query(" + string.Join(' ', Enumerable.Range(0, 10_000).Select(i => $"$v{i}: Int")) + ") { metadataVersion }");
        yield return ("1,000 conflicting selections of one name", "{ " + string.Concat(Enumerable.Range(0, 500).Select(i => $"__type(name: \"T{i}\") {{ name }} ")) + "}");
        yield return ("at the limits: 1,000 fields, 500 pairs", "{ " + string.Concat(Enumerable.Range(0, 32).Select(i => $"__type(name: \"T{i}\") {{ name }} ")) + Repeat("metadataVersion ", 936) + "}");
        yield return ("at the limits: 50 fragments, 100 directives", "{ ...f0 } " + string.Join(' ', Enumerable.Range(0, 50).Select(i => $"fragment f{i} on Query {{ {Repeat("metadataVersion @include(if: true) ", 2)} {(i < 49 ? $"...f{i + 1}" : "")} }}")));
        yield return ("at the limits: 100 variables, 1 MB", "# " + new string('x', 1_000_000) + "\nquery(" + string.Join(' ', Enumerable.Range(0, 100).Select(i => $"$v{i}: Int")) + ") { metadataVersion }");
        // Last: it overflowed the stack of earlier builds, ending the process.
        yield return ("8,000 chained fragments", "{ ...f0 } " + string.Join(' ', Enumerable.Range(0, 8000).Select(i => $"fragment f{i} on Query {{ metadataVersion {(i < 7999 ? $"...f{i + 1}" : "")} }}")));
    }

    /// <summary>
    /// <c>hostile-flood</c>: the attacker, run as its own process so that its sending loops do not
    /// queue on the bystander's thread pool (a real attacker is another client); prints its outcomes
    /// as one JSON line. Options: --url --key --concurrency --seconds.
    /// </summary>
    public static async Task<int> FloodAsync(string[] args)
    {
        var concurrency = int.Parse(LoadCommand.Option(args, "--concurrency", "16"), CultureInfo.InvariantCulture);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(LoadCommand.Option(args, "--url", string.Empty)) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(double.Parse(LoadCommand.Option(args, "--seconds", "20"), CultureInfo.InvariantCulture)));
        var only = LoadCommand.Option(args, "--documents", string.Empty) is { Length: > 0 } list ? list.Split(',').Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToHashSet() : null;
        Console.WriteLine(JsonSerializer.Serialize(await FloodAsync(http, LoadCommand.Option(args, "--key", string.Empty), concurrency, only, stop.Token)));
        return 0;
    }

    private static async Task<Dictionary<string, int>> FloodProcessAsync(Uri server, string key, int concurrency, TimeSpan duration, int nice, string documents)
    {
        var info = new ProcessStartInfo(nice == 0 ? "dotnet" : "nice") { RedirectStandardOutput = true, UseShellExecute = false };
        var arguments = new List<string>();
        if (nice != 0)
        {
            arguments.AddRange(["-n", nice.ToString(CultureInfo.InvariantCulture), "dotnet"]);
        }

        arguments.AddRange([typeof(HostileDocumentsCommand).Assembly.Location, "hostile-flood", "--url", server.ToString(), "--key", key,
            "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--documents", documents]);
        arguments.ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return JsonSerializer.Deserialize<Dictionary<string, int>>(output.Trim().Split('\n').Last())!;
    }

    /// <summary>CPU seconds the server process has used (user and system), from /proc.</summary>
    private static double ServerCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name, in clock ticks (100 per second on Linux).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<Dictionary<string, int>> FloodAsync(HttpClient http, string key, int concurrency, HashSet<int>? only, CancellationToken stop)
    {
        // Bodies made once: the attacker runs on the same cores, and should spend them sending, not serializing.
        var bodies = Documents().Where((_, i) => only is null || only.Contains(i)).Select(d => Body(d.Document)).ToArray();
        var outcomes = new Dictionary<string, int>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            for (var i = worker; !stop.IsCancellationRequested; i++)
            {
                string outcome;
                try
                {
                    outcome = (await SendAsync(http, key, bodies[i % bodies.Length])).Status.ToString(CultureInfo.InvariantCulture);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (HttpRequestException)
                {
                    // Refused before its body was read: the server closed the connection mid-upload.
                    outcome = "closed";
                }

                lock (outcomes)
                {
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }
            }
        }));
        return outcomes;
    }

    /// <summary>Sends a small query at a steady pace for a while and returns each one's latency in ms.</summary>
    private static async Task<List<double>> PacedAsync(HttpClient http, string key, int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var pending = new List<Task>();
        for (var next = TimeSpan.Zero; next < duration; next += interval)
        {
            if (next > clock.Elapsed)
            {
                await Task.Delay(next - clock.Elapsed, cancellationToken);
            }

            pending.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                var (status, _) = await SendAsync(http, key, "{ me { tenant } metadataVersion }");
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (status != 200)
                {
                    throw new InvalidOperationException($"The bystander's request was answered {status}.");
                }

                lock (latencies)
                {
                    latencies.Add(elapsed);
                }
            }, cancellationToken));
        }

        await Task.WhenAll(pending);
        return latencies;
    }

    private static byte[] Body(string query) => JsonSerializer.SerializeToUtf8Bytes(new { query });

    private static Task<(int Status, string? Code)> SendAsync(HttpClient http, string key, string query) => SendAsync(http, key, Body(query));

    private static async Task<(int Status, string? Code)> SendAsync(HttpClient http, string key, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        var code = answer.Contains("\"code\":\"", StringComparison.Ordinal) ? answer.Split("\"code\":\"")[1].Split('"')[0] : null;
        return ((int)response.StatusCode, code);
    }

    private static async Task<string> CreateTenantAsync(string hostAssembly, Dictionary<string, string> environment, string id)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { hostAssembly, "tenants", "create", id })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("crm_", StringComparison.Ordinal));
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
