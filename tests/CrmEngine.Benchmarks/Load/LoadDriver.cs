using System.Diagnostics;

namespace CrmEngine.Benchmarks.Load;

/// <summary>Requests per second and latency of one scenario against one server, and how long it took to warm up.</summary>
public sealed record LoadResult(string Scenario, string Target, double RequestsPerSecond, double P50Ms, double P99Ms, int Errors, long Requests, double WarmupSeconds);

/// <summary>
/// Drives a server over HTTP with a fixed number of concurrent workers for a fixed time (after a
/// warm-up), each sending its next request as soon as the previous one is answered. Bounded in
/// time and aimed only at the loopback server this process started.
/// </summary>
/// <remarks>
/// The warm-up lasts at least <c>warmup</c> and then goes on, in windows of two seconds, until two
/// windows in a row differ by less than 10 % (at most <see cref="MaxWarmup"/>): a large host's
/// tiered JIT keeps recompiling hot paths for 10 to 30 s under load on two cores (measured: the
/// page of 50 ran at 340, 410, 1090 and 1210 req/s in four 8-second runs against one fresh host),
/// so a fixed short warm-up measured the JIT rather than the steady state.
/// </remarks>
public static class LoadDriver
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(60);

    /// <summary>One server's side of a comparison: where to send, what, and what counts as a success.</summary>
    public sealed record Side(string Target, HttpClient Http, Func<Random, HttpRequestMessage> Request, Func<string, bool> IsSuccess);

    /// <summary>
    /// Both sides warmed up, then measured in turns of <paramref name="turn"/> (a, b, a, b, ...) until
    /// each has had <paramref name="duration"/>: on a shared machine whose speed drifts over minutes,
    /// both sides of a ratio see the same machine.
    /// </summary>
    public static async Task<(LoadResult A, LoadResult B)> RunAlternatingAsync(string scenario, Side a, Side b, int concurrency, TimeSpan warmup, TimeSpan duration, TimeSpan turn)
    {
        var warmedA = await WarmUpAsync(a.Http, a.Request, a.IsSuccess, concurrency, warmup);
        var warmedB = await WarmUpAsync(b.Http, b.Request, b.IsSuccess, concurrency, warmup);
        var sides = new[] { (Side: a, Latencies: new List<long>(), Errors: 0, Elapsed: TimeSpan.Zero), (Side: b, Latencies: new List<long>(), Errors: 0, Elapsed: TimeSpan.Zero) };
        while (sides.Any(s => s.Elapsed < duration))
        {
            for (var i = 0; i < sides.Length; i++)
            {
                var side = sides[i].Side;
                var (latencies, errors, elapsed) = await RunWorkersAsync(side.Http, side.Request, side.IsSuccess, concurrency, turn, record: true);
                sides[i].Latencies.AddRange(latencies);
                sides[i].Errors += errors;
                sides[i].Elapsed += elapsed;
            }
        }

        LoadResult Result(int i, TimeSpan warmed)
        {
            var latencies = sides[i].Latencies;
            latencies.Sort();
            double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))] * 1000.0 / Stopwatch.Frequency;
            return new LoadResult(scenario, sides[i].Side.Target, latencies.Count / sides[i].Elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), sides[i].Errors, latencies.Count, warmed.TotalSeconds);
        }

        return (Result(0, warmedA), Result(1, warmedB));
    }

    public static async Task<LoadResult> RunAsync(string scenario, string target, HttpClient http, Func<Random, HttpRequestMessage> request,
        Func<string, bool> isSuccess, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        var warmed = await WarmUpAsync(http, request, isSuccess, concurrency, warmup);
        return await MeasureAsync(scenario, target, http, request, isSuccess, concurrency, duration) with { WarmupSeconds = warmed.TotalSeconds };
    }

    /// <summary>One measurement of <paramref name="duration"/>, without a warm-up.</summary>
    public static async Task<LoadResult> MeasureAsync(string scenario, string target, HttpClient http, Func<Random, HttpRequestMessage> request,
        Func<string, bool> isSuccess, int concurrency, TimeSpan duration)
    {
        var (latencies, errors, elapsed) = await RunWorkersAsync(http, request, isSuccess, concurrency, duration, record: true);
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(scenario, target, latencies.Count / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), errors, latencies.Count, 0);
    }

    private static async Task<TimeSpan> WarmUpAsync(HttpClient http, Func<Random, HttpRequestMessage> request, Func<string, bool> isSuccess, int concurrency, TimeSpan minimum)
    {
        var clock = Stopwatch.StartNew();
        await RunWorkersAsync(http, request, isSuccess, concurrency, minimum, record: false);
        var previous = double.NaN;
        while (clock.Elapsed < MaxWarmup)
        {
            var (latencies, _, elapsed) = await RunWorkersAsync(http, request, isSuccess, concurrency, Window, record: true);
            var rate = latencies.Count / elapsed.TotalSeconds;
            if (Math.Abs(rate - previous) < 0.1 * Math.Max(rate, previous))
            {
                break;
            }

            previous = rate;
        }

        return clock.Elapsed;
    }

    private static async Task<(List<long> Latencies, int Errors, TimeSpan Elapsed)> RunWorkersAsync(
        HttpClient http, Func<Random, HttpRequestMessage> request, Func<string, bool> isSuccess, int concurrency, TimeSpan duration, bool record)
    {
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var random = new Random(worker * 7919);
            var latencies = new List<long>(4096);
            while (clock.Elapsed < duration)
            {
                using var message = request(random);
                var start = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                var end = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode || !isSuccess(body))
                {
                    if (Interlocked.Increment(ref errors) == 1)
                    {
                        Console.Error.WriteLine($"  first failed response ({(int)response.StatusCode}): {body[..Math.Min(400, body.Length)]}");
                    }
                }

                if (record)
                {
                    latencies.Add(end - start);
                }
            }

            return latencies;
        }).ToList();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToList();
        return (all, errors, clock.Elapsed);
    }
}
