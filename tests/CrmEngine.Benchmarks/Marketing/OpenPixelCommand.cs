using System.Text.Json.Nodes;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Records;
using CrmEngine.Sdk.Endpoints;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Marketing;

/// <summary>
/// The open-tracking pixel (issue 20) over real HTTP against the real host: N contacts as members of
/// an e-mail campaign, each member's open link signed by the host's link signer exactly as a campaign
/// mail signs it, then <c>GET /p/marketing/open?token=…</c> from C concurrent clients. Two figures:
/// first opens (each request a member not opened yet: the member moves to opened, an interaction and
/// the score are written) and repeat opens (members opened already: verified and answered, nothing
/// written). Target ≥ 5,000 req/s. No open is lost: every member whose first open was answered is
/// opened in the store, with one opened interaction each.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- mkt-open --members 20000 --seconds 10 --concurrency 32 [--store postgres]
/// </summary>
public static class OpenPixelCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = MarketingBench.Rows(args, "--members", 20_000);
        var seconds = MarketingBench.Rows(args, "--seconds", 10);
        var concurrency = MarketingBench.Rows(args, "--concurrency", 32);
        await using var bench = await MarketingBench.StartAsync(args);
        if (!await bench.SeedContactsAsync(count)
            || await bench.CallAsync("mutation { createCampaign(input: {name: \"打开率基准\", type: \"email\", emailSubject: \"新品\", emailBody: \"<p>你好</p>\"}) { campaign { id } userErrors { field code message } } }") is not { } created)
        {
            return 1;
        }

        var campaign = Id(created["createCampaign"]!["campaign"]!["id"]!.GetValue<string>());
        var contacts = await IdsAsync(bench, "contacts", "{department: {eq: \"采购部\"}}");
        var imported = await bench.Importer.ImportAsync(bench.Session, "campaignMember", contacts.Select(c => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["campaign"] = campaign, ["contact"] = c }), 5000, CancellationToken.None);
        if (imported.Imported != count)
        {
            Console.Error.WriteLine($"Members refused: {string.Join("; ", imported.Refused.Take(3).SelectMany(r => r.Errors).Select(e => $"{e.Code} {e.Message}"))}");
            return 1;
        }

        var signer = bench.Host.Services.GetRequiredService<ILinkSigner>();
        var pixels = (await IdsAsync(bench, "campaignMembers", string.Empty))
            .Select(m => "/p/marketing/open?token=" + signer.Sign(new LinkGrant(bench.Tenant.Id, "marketing", "open", m.ToString()), TimeSpan.FromDays(180)))
            .ToArray();
        Console.WriteLine($"{pixels.Length:N0} members of an e-mail campaign, each with a signed open link.");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = bench.Host.BaseAddress };
        var next = -1;
        HttpRequestMessage First(Random _) => new(HttpMethod.Get, pixels[Math.Min(Interlocked.Increment(ref next), pixels.Length - 1)]);

        // Warm-up on first opens (the JIT, pools, plans), not measured; then first opens, measured.
        await LoadDriver.MeasureAsync("warm-up", "host", http, First, _ => true, concurrency, TimeSpan.FromSeconds(3));
        var first = await LoadDriver.MeasureAsync("first opens", "host", http, First, _ => true, concurrency, TimeSpan.FromSeconds(seconds));
        var opened = Math.Min(next + 1, pixels.Length);
        var wrapped = next + 1 > pixels.Length;
        Report(first, concurrency);

        HttpRequestMessage Repeat(Random random) => new(HttpMethod.Get, pixels[random.Next(opened)]);
        var repeat = await LoadDriver.RunAsync("repeat opens", "host", http, Repeat, _ => true, concurrency, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(seconds));
        Report(repeat, concurrency);

        var inStore = await bench.CountAsync("campaignMembers", "{memberStatus: {eq: \"opened\"}}");
        var interactions = await bench.CountAsync("marketingInteractions", "{kind: {eq: \"opened\"}}");
        Console.WriteLine($"First opens answered: {opened:N0}{(wrapped ? " (all members: the measurement ran past the last one, so its tail were repeats)" : string.Empty)}; opened in the store: {inStore:N0}; opened interactions: {interactions:N0}; load average {MarketingBench.LoadAverage()}");
        return first.Errors == 0 && repeat.Errors == 0 && inStore == opened && interactions == opened ? 0 : 1;
    }

    private static void Report(LoadResult result, int concurrency) =>
        Console.WriteLine($"open pixel, {result.Scenario}: {result.RequestsPerSecond:N0} req/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, {result.Requests:N0} requests, {result.Errors} errors ({concurrency} clients; target ≥ 5,000 req/s)");

    /// <summary>A record's id from its GraphQL (global) id.</summary>
    private static Guid Id(string globalId) => GlobalId.TryDecode(globalId, out _, out var id) ? id : throw new FormatException($"'{globalId}' is not a record's id.");

    /// <summary>Every id of an entity matching a filter, page by page.</summary>
    private static async Task<List<Guid>> IdsAsync(MarketingBench bench, string plural, string filter)
    {
        var ids = new List<Guid>();
        string? after = null;
        while (true)
        {
            var arguments = $"first: 500{(filter.Length > 0 ? ", filter: " + filter : string.Empty)}{(after is null ? string.Empty : $", after: \"{after}\"")}";
            var data = await bench.CallAsync($"{{ {plural}({arguments}) {{ nodes {{ id }} pageInfo {{ endCursor hasNextPage }} }} }}");
            if (data?[plural] is not JsonNode page)
            {
                throw new InvalidOperationException($"Reading {plural} failed.");
            }

            ids.AddRange(page["nodes"]!.AsArray().Select(n => Id(n!["id"]!.GetValue<string>())));
            if (!page["pageInfo"]!["hasNextPage"]!.GetValue<bool>())
            {
                return ids;
            }

            after = page["pageInfo"]!["endCursor"]!.GetValue<string>();
        }
    }
}
