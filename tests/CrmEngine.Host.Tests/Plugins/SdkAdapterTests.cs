using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// What SDK 0.1.1 added, through the host's adapters, used by a real plugin (TestPlugins.Probe, which
/// declares ^0.1.1) over HTTP: every query operator, sorting and keyset paging, aggregates, the user
/// directory, notifications in the operation's transaction, privileged writes and IsDirect.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class SdkAdapterTests(PluginHostFixture fixture)
{
    private static async Task<TenantClient> TenantWithItemsAsync(PluginHostFixture fixture)
    {
        var client = await fixture.TenantWithAsync("probe");
        var year = DateTime.UtcNow.Year;
        var g1 = (await client.MutateAsync("mutation { createProbeGroup(input: { name: \"G1\" }) { probeGroup { id } userErrors { code message } } }"))["probeGroup"]!["id"]!.GetValue<string>();
        var g2 = (await client.MutateAsync("mutation { createProbeGroup(input: { name: \"G2\" }) { probeGroup { id } userErrors { code message } } }"))["probeGroup"]!["id"]!.GetValue<string>();
        var items = new object[]
        {
            new { name = "alpha", score = 10, amount = new { amount = 10m }, tags = new[] { "a" }, groupId = g1, day = $"{year}-06-15" },
            new { name = "beta", score = 20, amount = new { amount = 20m }, tags = new[] { "a", "b" }, groupId = g1, day = $"{year - 1}-06-15" },
            new { name = "gamma", score = 30, amount = new { amount = 30m }, tags = new[] { "b", "c" }, groupId = g2, day = (string?)null },
            new { name = "delta", score = 40, amount = new { amount = 40m }, tags = Array.Empty<string>(), groupId = g2, day = (string?)null },
        };
        foreach (var item in items)
        {
            await client.MutateAsync("mutation($i: CreateProbeItemInput!) { createProbeItem(input: $i) { probeItem { id } userErrors { field code message } } }", new { i = item });
        }

        return client;
    }

    [Fact]
    public async Task Plugins_query_with_every_operator_sort_and_page()
    {
        using var client = await TenantWithItemsAsync(fixture);
        var cases = new Dictionary<string, string[]>
        {
            ["lt"] = ["alpha"],
            ["between"] = ["gamma", "beta"],
            ["contains"] = ["alpha"],
            ["startsWith"] = ["beta"],
            ["endsWith"] = ["gamma"],
            ["notIn"] = ["delta", "beta"],
            ["isNotNull"] = ["beta", "alpha"],
            ["hasAny"] = ["gamma", "beta"],
            ["hasAll"] = ["beta"],
            ["thisYear"] = ["alpha"],
            ["through"] = ["beta", "alpha"],
        };
        foreach (var (name, expected) in cases)
        {
            var found = (await client.QueryAsync("query($c: String!) { probeFind(case: $c) }", new { c = name }))["probeFind"]!.AsArray().Select(n => n!.GetValue<string>());
            Assert.True(expected.SequenceEqual(found), $"{name}: expected {string.Join(",", expected)}, got {string.Join(",", found)}");
        }

        var first = (await client.QueryAsync("{ probePage { names hasMore endCursor total } }"))["probePage"]!;
        Assert.Equal(["delta", "gamma"], first["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal((true, 4), (first["hasMore"]!.GetValue<bool>(), first["total"]!.GetValue<int>()));
        var second = (await client.QueryAsync("query($a: String) { probePage(after: $a) { names hasMore } }", new { a = first["endCursor"]!.GetValue<string>() }))["probePage"]!;
        Assert.Equal(["beta", "alpha"], second["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(second["hasMore"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Plugins_aggregate_by_lookup_and_return_money_and_enums()
    {
        using var client = await TenantWithItemsAsync(fixture);
        var sums = (await client.QueryAsync("{ probeSums { count total { amount currency } maxScore groups { group count total kind } } }"))["probeSums"]!;
        Assert.Equal((4L, 100m, "CNY", 40L), (sums["count"]!.GetValue<long>(), sums["total"]!["amount"]!.GetValue<decimal>(), sums["total"]!["currency"]!.GetValue<string>(), sums["maxScore"]!.GetValue<long>()));
        Assert.Equal([("G1", 2L, 30m, "SMALL"), ("G2", 2L, 70m, "BIG")],
            sums["groups"]!.AsArray().Select(g => (g!["group"]!.GetValue<string>(), g["count"]!.GetValue<long>(), g["total"]!.GetValue<decimal>(), g["kind"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_sum_beyond_what_a_decimal_holds_reaches_plugins_as_a_typed_error_never_rounded()
    {
        using var client = await fixture.TenantWithAsync("probe");
        foreach (var name in new[] { "max1", "max2" })
        {
            await client.MutateAsync("mutation($i: CreateProbeItemInput!) { createProbeItem(input: $i) { probeItem { id } userErrors { field code message } } }", new { i = new { name, amount = new { amount = decimal.MaxValue } } });
        }

        var refused = await client.PostAsync("{ probeSums { count total { amount } } }");
        Assert.Equal("AGGREGATE_OVERFLOW", refused.FirstErrorCode);
        Assert.DoesNotContain("Exception", refused.Raw, StringComparison.Ordinal);
        // The same sum over GraphQL is given whole.
        var whole = await client.QueryAsync("{ probeItemsAggregate { sum { amount } } }");
        Assert.Equal("158456325028528675187087900670", whole["probeItemsAggregate"]!["sum"]!["amount"]!.ToJsonString());
    }

    [Fact]
    public async Task Plugins_read_the_directory_notify_within_their_transaction_and_write_privileged_as_the_caller()
    {
        using var client = await fixture.TenantWithAsync("probe");
        var ada = (await client.MutateAsync("mutation { createUser(email: \"ada@example.com\", displayName: \"Ada\", roles: [\"user\"]) { user { id } userErrors { code message } } }"))["user"]!["id"]!.GetValue<string>();
        await client.MutateAsync("mutation($m: ID!) { saveTeam(name: \"T1\", managerId: $m, memberIds: [$m]) { team { id } userErrors { code message } } }", new { m = ada });
        var me = (await client.QueryAsync("{ me { userId } }"))["me"]!["userId"]!.GetValue<string>();

        var directory = (await client.QueryAsync("{ probeDirectory(team: \"T1\") { users me system teamManager teamMembers } }"))["probeDirectory"]!;
        Assert.Equal(["Ada user 1"], directory["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal((me, ada, 1), (directory["me"]!.GetValue<string>(), directory["teamManager"]!.GetValue<string>(), directory["teamMembers"]!.GetValue<int>()));
        Assert.NotEqual(me, directory["system"]!.GetValue<string>());

        await client.MutateAsync("mutation($u: ID!) { probeNotify(userId: $u, message: \"hello\") { result userErrors { code message } } }", new { u = ada });
        var refused = (await client.QueryAsync("mutation($u: ID!) { probeNotify(userId: $u, message: \"rolled back\", fail: true) { result userErrors { code message } } }", new { u = ada }))["probeNotify"]!;
        Assert.Equal("PROBE_REFUSED", refused["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Null(refused["result"]);
        var notes = (await client.QueryAsync("query($u: ID) { notifications(userId: $u) { message } }", new { u = ada }))["notifications"]!.AsArray().Select(n => n!["message"]!.GetValue<string>());
        Assert.Equal(["hello"], notes);

        var created = (await client.MutateAsync("mutation { probeCreate(name: \"made\") { result { name direct createdBy ownerId } userErrors { code message } } }"))["result"]!.AsArray();
        Assert.All(created, item => Assert.Equal((false, me, me), (item!["direct"]!.GetValue<bool>(), item["createdBy"]!.GetValue<string>(), item["ownerId"]!.GetValue<string>())));
        var direct = (await client.MutateAsync("mutation { createProbeItem(input: { name: \"by hand\" }) { probeItem { direct } userErrors { code message } } }"))["probeItem"]!;
        Assert.True(direct["direct"]!.GetValue<bool>());
    }
}
