using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Subscriptions;

/// <summary>
/// <c>fanout</c>: subscription fan-out latency. Starts the Release host (or, with <c>--hosts 2</c> on
/// PostgreSQL, two hosts on one database), opens <c>--subscribers</c> WebSocket connections
/// (graphql-transport-ws), each with one <c>leadChanged</c> subscription, spread over <c>--keys</c> API
/// keys (each its own user, so each subscriber's rights are its own), and over the hosts; then updates
/// one lead <c>--rounds</c> times through the first host and measures, for every delivery, the time from
/// the change (its <c>at</c>, taken when the write is made, just before it commits) to the moment the
/// client read the message. Prints p50, p99 and the worst over every delivery, and the p99 of the
/// round's last delivery (when every subscriber had it).
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- fanout --subscribers 1000 [--store postgres --hosts 2] [--rounds 40] [--keys 50]
/// </summary>
public static class FanOutCommand
{
    private const string Subscription = "subscription { leadChanged { at lead { id name status } } }";

    public static async Task<int> RunAsync(string[] args)
    {
        var subscribers = int.Parse(LoadCommand.Option(args, "--subscribers", "1000"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(LoadCommand.Option(args, "--rounds", "40"), CultureInfo.InvariantCulture);
        var keyCount = int.Parse(LoadCommand.Option(args, "--keys", "50"), CultureInfo.InvariantCulture);
        var bench = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), args.Contains("--postgres") ? LoadCommand.Option(args, "--postgres", string.Empty) : null);
        var hostCount = int.Parse(LoadCommand.Option(args, "--hosts", "1"), CultureInfo.InvariantCulture);
        if (hostCount > 1 && !bench.IsPostgres)
        {
            Console.Error.WriteLine("Several hosts share a store on PostgreSQL only (--store postgres).");
            return 2;
        }

        if (LoadCommand.HostAssembly() is not { } hostAssembly)
        {
            return 2;
        }

        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-fanout", bench.IsPostgres ? "pg" : "sqlite");
        var keys = await SeedAsync(bench, directory, keyCount);
        var environment = LoadCommand.HostEnvironment(bench.HostSettings(directory, "fanout"));
        environment["Crm__Subscriptions__MaxSubscriptionsPerCaller"] = subscribers.ToString(CultureInfo.InvariantCulture);
        var hosts = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < hostCount; i++)
            {
                hosts.Add(await ServerProcess.StartAsync(hostAssembly, [], environment, "/health"));
            }

            using var http = new HttpClient { BaseAddress = hosts[0].Address };
            http.DefaultRequestHeaders.Authorization = new("Bearer", keys[0]);
            var lead = (await GraphQLAsync(http, "mutation { createLead(input: { name: \"扇出 Fan-out\", status: \"new\" }) { lead { id } userErrors { code message } } }"))["createLead"]!["lead"]!["id"]!.GetValue<string>();

            var arrivals = new ConcurrentQueue<(int Round, DateTime At, DateTime Received)>();
            var connections = new List<Subscriber>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < subscribers; i++)
            {
                connections.Add(await Subscriber.OpenAsync(hosts[i % hosts.Count].Address, keys[i % keys.Count], arrivals));
            }

            Console.WriteLine($"Fan-out on {bench.Name}, {hosts.Count} host(s), {Environment.ProcessorCount} cores: {subscribers} subscribers over {keys.Count} keys connected and subscribed in {clock.Elapsed.TotalSeconds:F1} s.");
            // Subscribing is asynchronous on the server: a first change tells when everyone listens.
            await RoundAsync(http, lead, -1, subscribers, arrivals, TimeSpan.FromSeconds(60));
            arrivals.Clear();

            var last = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var received = await RoundAsync(http, lead, round, subscribers, arrivals, TimeSpan.FromSeconds(30));
                if (received.Count < subscribers)
                {
                    Console.WriteLine($"  round {round}: only {received.Count} of {subscribers} deliveries within 30 s");
                }

                last.Add(received.Count == 0 ? double.NaN : received.Max());
                await Task.Delay(200);
            }

            var all = arrivals.Select(a => (a.Received - a.At).TotalMilliseconds).Order().ToList();
            var missing = (long)subscribers * rounds - all.Count;
            Console.WriteLine($"Deliveries: {all.Count:N0} ({missing} missing) over {rounds} changes. Commit to delivery: min {all.FirstOrDefault():F1} ms, p50 {Percentile(all, 0.5):F1} ms, p99 {Percentile(all, 0.99):F1} ms, max {all.LastOrDefault():F1} ms (target p99 < 100 ms).");
            Console.WriteLine($"Last subscriber of each change: p50 {Percentile([.. last.Order()], 0.5):F1} ms, p99 {Percentile([.. last.Order()], 0.99):F1} ms. Host peak RSS: {string.Join(", ", hosts.Select(h => $"{h.PeakRssMiB():F0} MiB"))}.");
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            return missing == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>Updates the lead and waits until every subscriber had the change (or the time is up); the latencies of this round, in ms.</summary>
    private static async Task<List<double>> RoundAsync(HttpClient http, string lead, int round, int subscribers, ConcurrentQueue<(int Round, DateTime At, DateTime Received)> arrivals, TimeSpan wait)
    {
        var name = "扇出 round " + round.ToString(CultureInfo.InvariantCulture);
        var before = arrivals.Count;
        await GraphQLAsync(http, "mutation($id: ID!, $name: String) { updateLead(id: $id, input: { name: $name }) { lead { id } userErrors { code message } } }", new { id = lead, name });
        var until = DateTime.UtcNow + wait;
        while (arrivals.Count - before < subscribers && DateTime.UtcNow < until)
        {
            await Task.Delay(5);
        }

        return arrivals.Skip(before).Select(a => (a.Received - a.At).TotalMilliseconds).ToList();
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<JsonNode> GraphQLAsync(HttpClient http, string query, object? variables = null)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var errors = body["errors"] ?? (body["data"]?.AsObject().Single().Value?["userErrors"] is JsonArray { Count: > 0 } refused ? refused : null);
        if (errors is not null)
        {
            throw new InvalidOperationException($"{query}: {errors.ToJsonString()}");
        }

        return body["data"]!;
    }

    /// <summary>A fresh store with the lead entity and <paramref name="count"/> admin keys, each acting as a user of its own.</summary>
    private static async Task<List<string>> SeedAsync(BenchStore bench, string directory, int count)
    {
        await using var engine = await bench.FreshEngineAsync(directory, "fanout");
        var catalog = engine.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        await catalog.CreateTenantAsync("bench", "Benchmark", CancellationToken.None);
        var store = await engine.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        await engine.GetRequiredService<MetadataService>().CreateEntityAsync(store, LeadDataset.Lead(), null, CancellationToken.None);
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            keys.Add((await catalog.CreateApiKeyAsync("bench", "subscriber " + i, [CrmPrincipal.AdminRole], null, null, CancellationToken.None)).Key);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return keys;
    }

    /// <summary>One connection with one subscription; notes when each change arrived, before reading it.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly CancellationTokenSource _stop = new();
        private Task _reading = Task.CompletedTask;

        public static async Task<Subscriber> OpenAsync(Uri host, string key, ConcurrentQueue<(int Round, DateTime At, DateTime Received)> arrivals)
        {
            var subscriber = new Subscriber();
            subscriber._socket.Options.AddSubProtocol("graphql-transport-ws");
            await subscriber._socket.ConnectAsync(new UriBuilder(host) { Scheme = "ws", Path = "/graphql" }.Uri, CancellationToken.None);
            await subscriber.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + key } });
            var ack = await subscriber.ReceiveAsync();
            if (ack.Text is not { } text || !text.Contains("connection_ack", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"connection_init was answered {ack.Text ?? $"by a close: {subscriber._socket.CloseStatus} {subscriber._socket.CloseStatusDescription}"}.");
            }

            await subscriber.SendAsync(new { id = "1", type = "subscribe", payload = new { query = Subscription } });
            subscriber._reading = subscriber.ReadAsync(arrivals);
            return subscriber;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _reading;
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }

            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ReadAsync(ConcurrentQueue<(int Round, DateTime At, DateTime Received)> arrivals)
        {
            while (!_stop.IsCancellationRequested)
            {
                var (text, received) = await ReceiveAsync();
                if (text is null)
                {
                    return;
                }

                var message = JsonNode.Parse(text)!;
                if (message["type"]!.GetValue<string>() != "next")
                {
                    Console.Error.WriteLine("  unexpected: " + text);
                    continue;
                }

                var change = message["payload"]!["data"]!["leadChanged"]!;
                var name = change["lead"]!["name"]!.GetValue<string>();
                var round = int.TryParse(name[(name.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture, out var r) ? r : -1;
                arrivals.Enqueue((round, DateTime.Parse(change["at"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), received));
            }
        }

        private Task SendAsync(object message) =>
            _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        private async Task<(string? Text, DateTime Received)> ReceiveAsync()
        {
            var buffer = new byte[8192];
            var length = 0;
            WebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), _stop.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            var received = DateTime.UtcNow;
            return (result.MessageType == WebSocketMessageType.Close ? null : Encoding.UTF8.GetString(buffer, 0, length), received);
        }
    }
}
