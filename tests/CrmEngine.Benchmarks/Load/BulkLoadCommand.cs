using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// <c>bulk</c>: loads leads into the real host through GraphQL, <c>--batch</c> per request, and
/// prints rows/s: with <c>createManyLeads(inputs: [...])</c>, or with <c>--aliased</c> as that many
/// aliased <c>createLead</c> fields in one document (what a client did before bulk mutations).
/// Every item's answer is checked, and the tenant's count at the end.
/// Options: --rows 100000 --batch 1000 --concurrency 1 --warmup 5 (requests) --data /tmp/crm-bench --store sqlite|postgres.
/// </summary>
public static class BulkLoadCommand
{
    private const string CreateMany = "mutation($inputs: [CreateLeadInput!]!) { createManyLeads(inputs: $inputs) { results { index lead { id } userErrors { code message } } userErrors { code message } } }";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(LoadCommand.Option(args, "--rows", "100000"), CultureInfo.InvariantCulture);
        var batch = int.Parse(LoadCommand.Option(args, "--batch", "1000"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(LoadCommand.Option(args, "--concurrency", "1"), CultureInfo.InvariantCulture);
        var warmup = int.Parse(LoadCommand.Option(args, "--warmup", "5"), CultureInfo.InvariantCulture);
        var aliased = args.Contains("--aliased");
        var root = LoadCommand.Option(args, "--data", Path.Combine(Path.GetTempPath(), "crm-bench"));
        var store = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), args.Contains("--postgres") ? LoadCommand.Option(args, "--postgres", string.Empty) : null);
        if (LoadCommand.HostAssembly() is not { } hostAssembly)
        {
            return 2;
        }

        // A small seeded tenant (1,000 leads), copied afresh on SQLite, so each run loads into the same table.
        var dataset = Seeder.WorkingCopy(await Seeder.EnsureAsync(store, store.DirectoryFor(root, 1000), 1000));
        var environment = LoadCommand.HostEnvironment(dataset.HostSettings());
        environment["Crm__MaxBulkItems"] = Math.Max(batch, 1000).ToString(CultureInfo.InvariantCulture);
        // A request of 1,000 leads is an expensive one (its body alone): its time budget is raised as
        // the rate limits are, so the benchmark measures the writes, not the budget (docs/bulk-mutations.md).
        foreach (var budget in new[] { "CallerTime", "TenantTime" })
        {
            environment[$"Crm__Endpoint__Expensive__{budget}__PerSecond"] = "01:00:00";
            environment[$"Crm__Endpoint__Expensive__{budget}__Burst"] = "01:00:00";
        }

        environment["Crm__Endpoint__MaxBodyBytes"] = (16 * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        if (aliased)
        {
            // A document of that many aliased creates is far past the guard's shape limits (100 aliases).
            foreach (var (limit, value) in new[] { ("MaxAliases", batch), ("MaxFields", batch * 10), ("MaxMergePairs", batch * batch), ("MaxComplexity", batch * 1000) })
            {
                environment["Crm__Endpoint__" + limit] = value.ToString(CultureInfo.InvariantCulture);
            }
        }
        await using var server = await ServerProcess.StartAsync(hostAssembly, [], environment, "/health");
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        var next = 0;
        var random = new Random(42);
        List<Dictionary<string, object?>> Leads()
        {
            lock (random)
            {
                return Enumerable.Range(0, batch).Select(_ => Scenarios.ToGraphInput(LeadDataset.Row(20_000_000 + next++, random))).ToList();
            }
        }

        var before = await CountAsync(http, dataset.ApiKey);
        for (var i = 0; i < warmup; i++)
        {
            await SendAsync(http, dataset.ApiKey, Leads(), aliased);
        }

        var requests = (rows + batch - 1) / batch;
        var sent = 0;
        var clock = Stopwatch.StartNew();
        var latencies = new List<double>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref sent) <= requests)
            {
                var leads = Leads();
                var started = Stopwatch.GetTimestamp();
                await SendAsync(http, dataset.ApiKey, leads, aliased);
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }));
        clock.Stop();

        var written = await CountAsync(http, dataset.ApiKey) - before - (warmup * batch);
        latencies.Sort();
        Console.WriteLine($"{(aliased ? $"{batch} aliased createLead" : $"createManyLeads of {batch}")} per request, {concurrency} client(s), {store.Name}: "
            + $"{written:N0} leads in {clock.Elapsed.TotalSeconds:F1} s = {written / clock.Elapsed.TotalSeconds:N0} rows/s "
            + $"(request p50 {latencies[latencies.Count / 2]:F0} ms, max {latencies[^1]:F0} ms; peak RSS {server.PeakRssMiB():F0} MiB)");
        return written == requests * batch ? 0 : 1;
    }

    private static async Task SendAsync(HttpClient http, string apiKey, List<Dictionary<string, object?>> leads, bool aliased)
    {
        var body = aliased
            ? new { query = "mutation { " + string.Concat(leads.Select((l, i) => $"c{i}: createLead(input: {Literal(l)}) {{ lead {{ id }} userErrors {{ code message }} }} ")) + "}", variables = (object?)null }
            : new { query = CreateMany, variables = (object?)new { inputs = leads } };
        using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(body) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        if (!Scenarios.EngineSucceeded(text))
        {
            throw new InvalidOperationException("The engine refused a batch: " + text[..Math.Min(text.Length, 400)]);
        }
    }

    private static async Task<int> CountAsync(HttpClient http, string apiKey)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ leads { totalCount } }" }) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(message);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["data"]!["leads"]!["totalCount"]!.GetValue<int>();
    }

    /// <summary>A value as a GraphQL literal (object members unquoted, strings as JSON strings).</summary>
    private static string Literal(object? value) => value switch
    {
        null => "null",
        string text => JsonSerializer.Serialize(text),
        bool flag => flag ? "true" : "false",
        IDictionary<string, object?> members => "{ " + string.Join(", ", members.Select(m => $"{m.Key}: {Literal(m.Value)}")) + " }",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Literal)) + "]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value.ToString()),
    };
}
