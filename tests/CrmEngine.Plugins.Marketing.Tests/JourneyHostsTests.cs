using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Two hosts on one PostgreSQL database run the same journey ticks at the same time, several times
/// over (as after a lost lease or a run resumed while the first still goes): each member enters once
/// and each step runs once, its effect written once, because every step's run record is unique in the
/// store and written in the transaction of its effect.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class JourneyHostsTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());
    private CrmHost[] _started = [];

    public void Dispose() => _hosts.Dispose();

    [PostgresFact]
    public async Task Ticks_run_at_once_on_two_hosts_run_each_step_once_per_member()
    {
        var settings = new Dictionary<string, string?> { ["Crm:PluginDirectory"] = Path.Combine(AppContext.BaseDirectory, "plugins"), ["Crm:JobsEnabled"] = "false" };
        var (first, second) = (_hosts.Start(settings), _hosts.Start(settings));
        _started = [first, second];
        using var client = await first.NewTenantAsync();
        foreach (var plugin in new[] { "sales", "marketing" })
        {
            await client.MutateAsync("mutation($id: String!) { enablePlugin(id: $id) { userErrors { field code message } } }", new { id = plugin });
        }

        const int people = 20;
        for (var i = 0; i < people; i++)
        {
            await client.MutateAsync("mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } userErrors { field code message } } }", new { i = new { name = $"并发线索{i:00}", company = "并发科技" } });
        }

        var segment = Id(await client.MutateAsync("mutation($i: CreateSegmentInput!) { createSegment(input: $i) { segment { id } userErrors { field code message } } }",
            new { i = new { name = "并发科技的线索", entity = "lead", filter = "{\"company\": {\"eq\": \"并发科技\"}}" } }), "segment");
        var steps = JourneyTests.Steps(
            new { key = "call", type = "createActivity", subject = "首次跟进", next = "wait" },
            new { key = "wait", type = "wait", days = 1, next = "tag" },
            new { key = "tag", type = "addTags", tags = new[] { "engaged" }, next = "again" },
            new { key = "again", type = "createActivity", subject = "二次跟进" });
        var journey = Id(await client.MutateAsync("mutation($i: CreateJourneyInput!) { createJourney(input: $i) { journey { id } userErrors { field code message } } }",
            new { i = new { name = "两台主机的旅程", of = "lead", entryKind = "segment", entrySegmentId = segment, steps } }), "journey");
        await client.MutateAsync(JourneyTests.Publish, new { id = journey });

        var t0 = JourneyTests.Minute();
        await TogetherAsync(client.TenantId, t0);
        await TogetherAsync(client.TenantId, t0.AddDays(1));

        using var onSecond = second.Client(client.TenantId, client.Key);
        var members = (await onSecond.QueryAsync("{ journeyMembers(first: 100) { totalCount nodes { status stepRuns { nodes { step } } } } }"))["journeyMembers"]!;
        Assert.Equal(people, members["totalCount"]!.GetValue<int>());
        Assert.All(members["nodes"]!.AsArray(), m =>
        {
            Assert.Equal("completed", m!["status"]!.GetValue<string>());
            Assert.Equal(["call", "wait", "tag", "again"], m["stepRuns"]!["nodes"]!.AsArray().Select(r => r!["step"]!.GetValue<string>()));
        });
        Assert.Equal(people * 4, await CountAsync(onSecond, "journeyStepRuns", ""));
        Assert.Equal(people, await CountAsync(onSecond, "activities", "(filter: {subject: {startsWith: \"首次跟进\"}})"));
        Assert.Equal(people, await CountAsync(onSecond, "activities", "(filter: {subject: {startsWith: \"二次跟进\"}})"));
        Assert.Equal(people, await CountAsync(onSecond, "leads", "(filter: {marketingTags: {has: \"engaged\"}})"));
    }

    /// <summary>The journey tick for <paramref name="at"/>, three times on each host at once.</summary>
    private Task TogetherAsync(string tenantId, DateTime at) => JobsOnSeveralHosts.RunTogetherAsync(_started, tenantId, "marketing", "journey-tick", at);

    private static string Id(JsonNode payload, string field) => payload[field]!["id"]!.GetValue<string>();

    private static async Task<int> CountAsync(TenantClient client, string plural, string arguments) =>
        (await client.QueryAsync($"{{ {plural}{arguments} {{ totalCount }} }}"))[plural]!["totalCount"]!.GetValue<int>();
}
