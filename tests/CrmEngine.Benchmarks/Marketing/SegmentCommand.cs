using System.Diagnostics;

namespace CrmEngine.Benchmarks.Marketing;

/// <summary>
/// Materialising a dynamic segment (issue 20): N contacts (and a tenth as many that don't fit), a
/// segment of contacts in purchasing, then <c>refreshSegment</c> over GraphQL, timed: the first refresh
/// adds all N members (target &lt; 3 s for 100k on SQLite); a second finds nothing to change. The
/// figures are checked against the store (the segment's size and its member count).
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- mkt-segment --rows 100000 [--store postgres]
/// </summary>
public static class SegmentCommand
{
    private const string Refresh = "mutation($id: ID!) { refreshSegment(id: $id) { result { segment { size } added removed excluded } userErrors { field code message } } }";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = MarketingBench.Rows(args, "--rows", 100_000);
        await using var bench = await MarketingBench.StartAsync(args);
        if (!await bench.SeedContactsAsync(rows)
            || await bench.CallAsync("mutation($f: String!) { createSegment(input: {name: \"采购部联系人\", entity: \"contact\", filter: $f}) { segment { id } userErrors { field code message } } }", new { f = MarketingBench.Purchasing }) is not { } created)
        {
            return 1;
        }

        var segment = created["createSegment"]!["segment"]!["id"]!.GetValue<string>();
        var figures = new List<(string Run, double Seconds, long Added, long Size)>();
        foreach (var run in new[] { "first refresh (materialise)", "second refresh (no change)" })
        {
            var clock = Stopwatch.StartNew();
            var data = await bench.CallAsync(Refresh, new { id = segment });
            clock.Stop();
            if (data?["refreshSegment"]?["result"] is not { } result)
            {
                Console.WriteLine($"refreshSegment, {run}: no result after {clock.Elapsed.TotalSeconds:F0} s ({bench.Store}; target < 3 s for 100k on SQLite); load average {MarketingBench.LoadAverage()}");
                return 1;
            }

            figures.Add((run, clock.Elapsed.TotalSeconds, result["added"]!.GetValue<long>(), result["segment"]!["size"]!.GetValue<long>()));
        }

        var members = await bench.CountAsync("segmentMembers");
        foreach (var (run, seconds, added, size) in figures)
        {
            Console.WriteLine($"refreshSegment, {run}: {seconds:F2} s, {added:N0} added, size {size:N0} ({bench.Store}; target < 3 s for 100k on SQLite)");
        }

        Console.WriteLine($"Segment members in the store: {members:N0}; load average {MarketingBench.LoadAverage()}");
        return figures[0].Added == rows && figures[1].Added == 0 && figures.All(f => f.Size == rows) && members == rows ? 0 : 1;
    }
}
