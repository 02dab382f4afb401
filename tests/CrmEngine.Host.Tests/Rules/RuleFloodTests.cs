using System.Diagnostics;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Xunit.Abstractions;
using static CrmEngine.Host.Tests.Rules.RuleQueries;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Rules;

/// <summary>
/// Eight callers of one tenant keep triggering a rule that spends its whole time budget, while
/// another tenant reads: the flooding tenant gets its one place (set here, so the test means the
/// same on any core count) and its surplus callers are refused with RULES_BUSY; the reader's latency
/// stays within a generous bound of its own idle latency measured in the same test. (Before rule
/// budgets, on PostgreSQL, the flood ran on eight pool threads and the reader's p99 went from about
/// 10 ms to 0.7 s; the precise figure is the benchmark's: tests/CrmEngine.Benchmarks, rule-flood.)
/// Runs alone, with the hostile-rules test, so other tests' load doesn't stand in for the flood's.
/// </summary>
[Collection(HostileRulesUnderLoadTests.Name)]
public sealed class RuleFloodTests(ITestOutputHelper output) : IDisposable
{
    private const int Callers = 8;
    private const string ReadProjects = "{ projects(first: 20) { nodes { id title headcount } } }";
    private const string CreateProject = "mutation { createProject(input: { title: \"flood\" }) { project { id } userErrors { code message } } }";

    private readonly CrmHost _host = new(settings: CrmHost.Unthrottled(new Dictionary<string, string?>
    {
        ["Crm:Rules:Limits:Timeout"] = "00:00:01",
        ["Crm:Rules:Limits:MaxStatements"] = "1000000000",
        ["Crm:Rules:MaxConcurrentRunsPerTenant"] = "1",
        ["Crm:Rules:RunQueueTimeout"] = "00:00:00.500",
    }));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Another_tenants_reads_stay_fast_while_one_tenants_callers_flood_a_rule_that_spends_its_whole_budget()
    {
        using var flood = await _host.NewTenantAsync();
        await DefineProjectsAsync(flood);
        await SaveAsync(flood, new { name = "runaway", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "while (true) {}" });
        using var reader = await _host.NewTenantAsync();
        await DefineProjectsAsync(reader);
        for (var i = 0; i < 20; i++)
        {
            await reader.MutateAsync("mutation { createProject(input: { title: \"p\", headcount: 3 }) { project { id } userErrors { code } } }");
        }

        await ReadAsync(reader, 50);
        var idle = await ReadAsync(reader, 300);

        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, Callers).Select(_ => FloodAsync(flood, stop.Token)).ToList();
        // Every caller is in, and the rule has taken its place, before the reader is measured.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var flooded = await ReadAsync(reader, 300);
        await stop.CancelAsync();
        var answers = (await Task.WhenAll(callers)).SelectMany(a => a).ToList();

        var (idleP99, floodedP99) = (Percentile(idle, 0.99), Percentile(flooded, 0.99));
        output.WriteLine($"reader p50/p99 idle {Percentile(idle, 0.5):F1}/{idleP99:F1} ms, flooded {Percentile(flooded, 0.5):F1}/{floodedP99:F1} ms; flood answers: "
            + string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Key} {g.Count()}")));
        Assert.NotEmpty(answers);
        Assert.All(answers, a => Assert.True(a is "RULE_LIMIT_EXCEEDED" or "RULES_BUSY", a));
        if (TestStorage.IsPostgres)
        {
            // Writes run side by side there, so the surplus meets the budget; on SQLite the tenant's
            // single write lock lines its writes up before any reaches the rule.
            Assert.Contains("RULES_BUSY", answers);
        }

        Assert.Equal(0, (await flood.QueryAsync("{ projects { totalCount } }"))["projects"]!["totalCount"]!.GetValue<int>());
        // Generous, for a busy two-core machine (measured there: p50 1 to 4 ms and p99 40 to 80 ms under
        // the flood; without budgets, on PostgreSQL, p50 32 ms and p99 480 ms).
        var (idleP50, floodedP50) = (Percentile(idle, 0.5), Percentile(flooded, 0.5));
        Assert.True(floodedP50 < Math.Max(idleP50 * 10, 20), $"the reader's p50 went from {idleP50:F1} ms to {floodedP50:F1} ms under the flood");
        Assert.True(floodedP99 < Math.Max(idleP99 * 5, 300), $"the reader's p99 went from {idleP99:F1} ms to {floodedP99:F1} ms under the flood");
    }

    /// <summary>The latencies of <paramref name="count"/> reads one after another, in ms.</summary>
    private static async Task<List<double>> ReadAsync(TenantClient client, int count)
    {
        var latencies = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.QueryAsync(ReadProjects);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return latencies;
    }

    /// <summary>One caller creating projects back to back until stopped; the error code of each answer.</summary>
    private static async Task<List<string>> FloodAsync(TenantClient client, CancellationToken stop)
    {
        var answers = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var payload = (await client.QueryAsync(CreateProject))["createProject"]!;
            answers.Add(payload["userErrors"]?.AsArray() is [{ } error, ..] ? error["code"]!.GetValue<string>() : "CREATED");
        }

        return answers;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
