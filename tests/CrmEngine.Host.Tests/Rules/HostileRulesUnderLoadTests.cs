using System.Diagnostics;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using static CrmEngine.Host.Tests.Rules.RuleQueries;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Rules;

/// <summary>
/// Hostile rules on some tenants, while other requests keep coming: every hostile write is refused
/// within its limit, and everyone else is served meanwhile. Its own host, with a 1 s time limit,
/// run alone so other tests' load doesn't stand in for the hostile scripts'.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
[Collection(Name)]
public sealed class HostileRulesUnderLoadTests : IDisposable
{
    public const string Name = "hostile rules under load";

    private static readonly string[] Hostile =
    [
        "while (true) {}",
        "function down(n) { return down(n + 1) + 1; } down(0);",
        "let s = 'x'; while (true) { s += s; }",
        "const a = []; while (true) { a.push(new Array(10000).fill(1)); }",
        "/^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!');",
        "System.IO.File.ReadAllText('/etc/passwd');",
        "importNamespace('System.IO');",
        "require('child_process');",
        "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);",
        "try { eval('while (true) {}'); } catch (e) {} while (true) {}",
        "let a = []; for (let i = 0; i < 100000; i++) { a = [a]; } String(a);",
    ];

    // The bystander sends requests back to back for as long as the hostile writes take; the rate
    // limiter must not be what stops it on a fast run. Every hostile rule runs at once: the host's
    // places for rules (tested in RuleFloodTests) are not what this is about.
    private readonly CrmHost _host = new(settings: CrmHost.Unthrottled(new Dictionary<string, string?>
    {
        ["Crm:Rules:Limits:Timeout"] = "00:00:01",
        ["Crm:Rules:Limits:MaxStatements"] = "100000000",
        ["Crm:Rules:Limits:RegexTimeout"] = "00:00:00.200",
        ["Crm:Rules:MaxConcurrentRuns"] = "16",
    }));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Every_hostile_script_is_stopped_within_its_limit_while_other_requests_keep_being_served()
    {
        // One tenant per hostile rule, so they run side by side rather than one after another on one tenant's write lock.
        var hostile = new List<TenantClient>();
        for (var i = 0; i < Hostile.Length; i++)
        {
            var client = await _host.NewTenantAsync();
            await DefineProjectsAsync(client);
            await SaveAsync(client, new { name = "hostile", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = Hostile[i] });
            hostile.Add(client);
        }

        using var bystander = await _host.NewTenantAsync();
        await DefineProjectsAsync(bystander);
        await SaveAsync(bystander, new { name = "friendly", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "record.headcount = 1;" });

        using var stop = new CancellationTokenSource();
        var served = Task.Run(() => ServeBystanderAsync(bystander, stop.Token));
        var watch = Stopwatch.StartNew();
        var refusals = await Task.WhenAll(hostile.Select(c => c.QueryAsync("mutation { createProject(input: { title: \"x\" }) { project { id } userErrors { code message } } }")));
        var hostileTime = watch.Elapsed;
        await Task.Delay(300);
        await stop.CancelAsync();
        var latencies = await served;

        for (var i = 0; i < Hostile.Length; i++)
        {
            var error = refusals[i]["createProject"]!["userErrors"]![0]!;
            Assert.True(error["code"]!.GetValue<string>() is "RULE_LIMIT_EXCEEDED" or "RULE_ERROR", $"{Hostile[i]}: {error}");
            Assert.Equal(0, (await hostile[i].QueryAsync("{ projects { totalCount } }"))["projects"]!["totalCount"]!.GetValue<int>());
            var run = (await hostile[i].QueryAsync(Runs, new { name = "hostile" }))["ruleRuns"]![0]!;
            Assert.True(run["durationMs"]!.GetValue<decimal>() < 2500, $"{Hostile[i]} ran {run["durationMs"]} ms");
        }

        Assert.True(hostileTime < TimeSpan.FromSeconds(20), $"the hostile writes took {hostileTime}");
        // Eleven scripts spinning for a second each hold two cores: a bystander's request may take most
        // of a second then, more on a machine that is busy besides. Being served throughout is the point:
        // several requests in the window, none waiting anywhere near the hostile scripts' total.
        Assert.True(latencies.Count >= 3, $"only {latencies.Count} bystander requests were served in {hostileTime}");
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(5), $"slowest bystander request took {latencies.Max()}");
        Assert.Equal(latencies.Count, (await bystander.QueryAsync("{ projects { totalCount } }"))["projects"]!["totalCount"]!.GetValue<int>());
        var health = await bystander.Http.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode);
    }

    private static async Task<List<TimeSpan>> ServeBystanderAsync(TenantClient client, CancellationToken stop)
    {
        var latencies = new List<TimeSpan>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            var created = await client.MutateAsync("mutation { createProject(input: { title: \"ok\" }) { project { headcount } userErrors { code } } }");
            Assert.Equal(1, created["project"]!["headcount"]!.GetValue<int>());
            latencies.Add(watch.Elapsed);
        }

        return latencies;
    }
}

[CollectionDefinition(HostileRulesUnderLoadTests.Name, DisableParallelization = true)]
public sealed class HostileRulesUnderLoadGroup;
