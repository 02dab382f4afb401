using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Rules;

/// <summary>
/// <c>rule-flood</c>: what a tenant whose callers keep triggering a runaway rule costs another
/// tenant's reads. The Release host runs on a fresh store with two tenants: "flood", whose
/// before-create rule on leads spends its whole time budget (--script to try another), and "bystander",
/// with 2,000 leads. Each round measures the bystander's reads by id (--readers workers, back to
/// back) for --seconds on an idle host, then as long again while --callers callers of the flood
/// tenant create leads back to back, and prints p50/p99 of both and how the flood's creates were
/// answered. Options: --store sqlite|postgres  --postgres "..."  --seconds 10  --rounds 3
/// --callers 8  --tenants 1 (flooding tenants, each with --callers callers)  --readers 2  --data /tmp/crm-bench  --set Crm__Rules__Limits__Timeout=00:00:01 (host
/// settings, repeatable).
/// </summary>
public static class RuleFloodCommand
{
    private const string BystanderTenant = "bystander";
    // Each statement is a backtracking match of tens of milliseconds, within the regex limit: the
    // run spends its whole time budget long before its statement budget. (`while (true) {}` hits
    // the statement limit of 1,000,000 in a few dozen milliseconds.)
    private const string RunawayScript = "while (true) { /^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaa!'); }";
    private const string GetQuery = "query($id: ID!) { lead(id: $id) { id name company email phone status source score budget { amount currency } lastContactedAt } }";
    private const string CreateMutation = "mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } userErrors { code message } } }";

    public static async Task<int> RunAsync(string[] args)
    {
        if (LoadCommand.HostAssembly() is not { } hostAssembly)
        {
            return 2;
        }

        var store = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), args.Contains("--postgres") ? LoadCommand.Option(args, "--postgres", string.Empty) : null);
        var seconds = TimeSpan.FromSeconds(double.Parse(LoadCommand.Option(args, "--seconds", "10"), CultureInfo.InvariantCulture));
        var rounds = int.Parse(LoadCommand.Option(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        var callers = int.Parse(LoadCommand.Option(args, "--callers", "8"), CultureInfo.InvariantCulture);
        var readers = int.Parse(LoadCommand.Option(args, "--readers", "2"), CultureInfo.InvariantCulture);
        var flooders = int.Parse(LoadCommand.Option(args, "--tenants", "1"), CultureInfo.InvariantCulture);
        var script = LoadCommand.Option(args, "--script", RunawayScript);
        var directory = Path.Combine(LoadCommand.Option(args, "--data", Path.Combine(Path.GetTempPath(), "crm-bench")), (store.IsPostgres ? "pg-" : string.Empty) + "rule-flood");
        var keys = await ProvisionAsync(store, directory, flooders);

        var environment = LoadCommand.HostEnvironment(store.HostSettings(directory, "rule_flood"));
        foreach (var setting in args.Zip(args.Skip(1)).Where(p => p.First == "--set").Select(p => p.Second.Split('=', 2)))
        {
            environment[setting[0]] = setting[1];
        }

        Console.WriteLine($"Rule flood on {store.Name}, {Environment.ProcessorCount} cores: {callers} callers of each of {flooders} tenant(s) trigger `{script}` before each create; "
            + $"{readers} readers of another tenant read leads by id; {rounds} rounds of {seconds.TotalSeconds:0} s idle, then {seconds.TotalSeconds:0} s flooded.");
        foreach (var (key, value) in environment.Where(e => e.Key.StartsWith("Crm__Rules", StringComparison.Ordinal)))
        {
            Console.WriteLine($"  {key}={value}");
        }

        await using var server = await ServerProcess.StartAsync(hostAssembly, [], environment, "/health");
        using var readHttp = Client(server, readers);
        using var floodHttp = Client(server, callers * flooders);
        foreach (var key in keys.Flood)
        {
            await SendAsync(floodHttp, key, "mutation($input: SaveRuleInput!) { saveRule(input: $input) { userErrors { code message } } }",
                new { input = new { name = "runaway", entity = "lead", triggers = new[] { "BEFORE_CREATE" }, script } });
        }

        var ids = (await SendAsync(readHttp, keys.Bystander, "{ leads(first: 500) { nodes { id } } }"))["data"]!["leads"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
        HttpRequestMessage Read(Random random) => Request(keys.Bystander, GetQuery, new { id = ids[random.Next(ids.Count)] });

        await LoadDriver.RunAsync("warm-up", "bystander", readHttp, Read, Scenarios.EngineSucceeded, readers, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
        var idleP99 = new List<double>();
        var floodedP99 = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var idle = await LoadDriver.MeasureAsync("idle", "bystander", readHttp, Read, Scenarios.EngineSucceeded, readers, seconds);
            using var stop = new CancellationTokenSource();
            var flood = FloodAsync(floodHttp, keys.Flood, callers, stop.Token);
            // The flood takes hold before the bystander is measured.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var flooded = await LoadDriver.MeasureAsync("flooded", "bystander", readHttp, Read, Scenarios.EngineSucceeded, readers, seconds);
            await stop.CancelAsync();
            var answers = await flood;
            idleP99.Add(idle.P99Ms);
            floodedP99.Add(flooded.P99Ms);
            Console.WriteLine($"round {round}: bystander idle p50 {idle.P50Ms:F1} ms p99 {idle.P99Ms:F1} ms ({idle.RequestsPerSecond:F0} req/s); "
                + $"flooded p50 {flooded.P50Ms:F1} ms p99 {flooded.P99Ms:F1} ms ({flooded.RequestsPerSecond:F0} req/s, {flooded.Errors} errors); "
                + $"flood answers: {string.Join(", ", answers.OrderByDescending(a => a.Value).Select(a => $"{a.Key} {a.Value}"))}");
        }

        Console.WriteLine($"Bystander p99, median of {rounds} rounds: idle {Median(idleP99):F1} ms, flooded {Median(floodedP99):F1} ms ({Median(floodedP99) / Median(idleP99):F1}x); worst flooded round {floodedP99.Max():F1} ms.");
        return 0;
    }

    /// <summary>The flooding tenants and the bystander, with admin keys and the lead entity; 2,000 leads for the bystander.</summary>
    private static async Task<(IReadOnlyList<string> Flood, string Bystander)> ProvisionAsync(BenchStore store, string directory, int flooders)
    {
        await using var provider = await store.FreshEngineAsync(directory, "rule_flood");
        var catalog = provider.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        var keys = new List<string>();
        foreach (var tenant in Enumerable.Range(1, flooders).Select(i => $"flood{i}").Append(BystanderTenant))
        {
            await catalog.CreateTenantAsync(tenant, tenant, CancellationToken.None);
            keys.Add((await catalog.CreateApiKeyAsync(tenant, "bench", [CrmPrincipal.AdminRole], null, null, CancellationToken.None)).Key);
            var tenantStore = await provider.GetRequiredService<TenantRegistry>().GetAsync(tenant, CancellationToken.None);
            await provider.GetRequiredService<MetadataService>().CreateEntityAsync(tenantStore, LeadDataset.Lead(), null, CancellationToken.None);
        }

        var bystander = await provider.GetRequiredService<TenantRegistry>().GetAsync(BystanderTenant, CancellationToken.None);
        var session = new CrmSession(bystander, new CrmPrincipal(BystanderTenant, Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        var random = new Random(2000);
        await provider.GetRequiredService<RecordImporter>().ImportAsync(session, "lead",
            Enumerable.Range(0, 2000).Select(i => (IReadOnlyDictionary<string, object?>)LeadDataset.Row(i, random)), batchSize: 1000, CancellationToken.None);
        return (keys[..^1], keys[^1]);
    }

    /// <summary>Callers of each tenant creating leads back to back until stopped; how each create was answered (an error code, "created" or an HTTP status).</summary>
    private static async Task<Dictionary<string, int>> FloodAsync(HttpClient http, IReadOnlyList<string> keys, int callers, CancellationToken stop)
    {
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        await Task.WhenAll(keys.SelectMany(key => Enumerable.Range(0, callers), (key, caller) => (key, caller)).Select(async pair =>
        {
            var (key, caller) = pair;
            var random = new Random(caller);
            while (!stop.IsCancellationRequested)
            {
                string answer;
                try
                {
                    using var response = await http.SendAsync(Request(key, CreateMutation, new { input = Scenarios.ToGraphInput(LeadDataset.Row(random.Next(), random)) }), CancellationToken.None);
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                    answer = !response.IsSuccessStatusCode ? $"HTTP {(int)response.StatusCode}"
                        : body?["data"]?["createLead"]?["userErrors"]?[0]?["code"]?.GetValue<string>() ?? (body?["errors"] is not null ? "GraphQL error" : "created");
                }
                catch (HttpRequestException e)
                {
                    answer = e.GetType().Name;
                }

                lock (answers)
                {
                    answers[answer] = answers.GetValueOrDefault(answer) + 1;
                }
            }
        }));
        return answers;
    }

    private static HttpClient Client(ServerProcess server, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(120) };

    private static HttpRequestMessage Request(string key, string query, object? variables = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return message;
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, string key, string query, object? variables = null)
    {
        using var response = await http.SendAsync(Request(key, query, variables));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !Scenarios.EngineSucceeded(body))
        {
            throw new InvalidOperationException($"Setting up the flood failed: {body}");
        }

        return JsonNode.Parse(body)!;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
