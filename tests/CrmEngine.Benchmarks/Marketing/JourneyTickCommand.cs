using System.Diagnostics;
using System.Text.Json;

namespace CrmEngine.Benchmarks.Marketing;

/// <summary>
/// A journey tick over N members (issue 20): N contacts in a segment, a live journey entered by that
/// segment (wait a day, then tag them nurtured). The first tick enters all N (a member each, at the
/// wait); the tick a day later runs every member's due steps (the wait, then the tag: two step runs,
/// a contact update and a member move each). Each tick is the scheduler's run of the due jobs at a
/// whole minute (only the every-minute jobs are due), timed (target &lt; 10 s for 100k). The figures are
/// checked against the store: N members, all completed, 2N step runs.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- mkt-journey --rows 100000 [--store postgres]
/// </summary>
public static class JourneyTickCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = MarketingBench.Rows(args, "--rows", 100_000);
        await using var bench = await MarketingBench.StartAsync(args);
        if (!await bench.SeedContactsAsync(rows)
            || await bench.CallAsync("mutation($f: String!) { createSegment(input: {name: \"采购部联系人\", entity: \"contact\", filter: $f}) { segment { id } userErrors { field code message } } }", new { f = MarketingBench.Purchasing }) is not { } segment)
        {
            return 1;
        }

        var steps = JsonSerializer.Serialize(new object[]
        {
            new { key = "wait", type = "wait", days = 1, next = "tag" },
            new { key = "tag", type = "addTags", tags = new[] { "nurtured" } },
        });
        var journey = await bench.CallAsync(
            "mutation($s: ID!, $steps: String!) { createJourney(input: {name: \"采购部培育\", of: \"contact\", entryKind: \"segment\", entrySegmentId: $s, steps: $steps}) { journey { id } userErrors { field code message } } }",
            new { s = segment["createSegment"]!["segment"]!["id"]!.GetValue<string>(), steps });
        var id = journey?["createJourney"]?["journey"]?["id"]?.GetValue<string>();
        if (id is null || await bench.CallAsync("mutation($id: ID!) { publishJourney(id: $id) { result { version { number } } userErrors { field code message } } }", new { id }) is null)
        {
            return 1;
        }

        // Whole minutes away from the hour and 01:30, so only the every-minute jobs (the journey tick among them) are due.
        var now = DateTime.UtcNow;
        var t0 = new DateTime(now.Year, now.Month, now.Day, now.Hour, 17, 0, DateTimeKind.Utc).AddHours(1);
        var figures = new List<string>();
        foreach (var (tick, at) in new[] { ("tick 1 (enter from the segment)", t0), ("tick 2 (a day on: wait, then tag)", t0.AddDays(1).AddMinutes(1)) })
        {
            var clock = Stopwatch.StartNew();
            var runs = await bench.Host.RunDueJobsAsync(at);
            clock.Stop();
            var line = $"journey {tick}: {clock.Elapsed.TotalSeconds:F2} s ({runs} job runs; {bench.Store}; target < 10 s for 100k); load average {MarketingBench.LoadAverage()}";
            Console.WriteLine(line);
            figures.Add(line);
        }

        var members = await bench.CountAsync("journeyMembers");
        var completed = await bench.CountAsync("journeyMembers", "{status: {eq: \"completed\"}}");
        var stepRuns = await bench.CountAsync("journeyStepRuns");
        Console.WriteLine($"In the store: {members:N0} members, {completed:N0} completed, {stepRuns:N0} step runs (expected {rows:N0}, {rows:N0}, {2L * rows:N0}).");
        return members == rows && completed == rows && stepRuns == 2L * rows ? 0 : 1;
    }
}
