using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>The shared customer pool (公海): scheduled returns, quota, cool-down, release, assignment and racing claims.</summary>
[Collection(SalesHostGroup.Name)]
public sealed class PoolTests(SalesHost fixture)
{
    private const string Claim = "mutation($id: ID!) { claimAccount(id: $id) { result { id ownerId inPool } userErrors { field code message } } }";

    [Fact]
    public async Task Accounts_return_to_the_pool_on_schedule_exactly_once_and_record_why()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (li, liClient) = await tenant.UserAsync("li@example.cn", "李娜");
        await tenant.SettingsAsync(new { poolNoFollowUpDays = 30, poolNoDealDays = 0 });
        var idle = await admin.CreateAsync("Account", new { name = "杭州青禾文化传媒", ownerId = li });
        var customer = await admin.CreateAsync("Account", new { name = "苏州明德精密机械", ownerId = li, lifecycleStage = "active" });
        var now = DateTime.UtcNow;

        async Task<JsonArray> Moves() => (await admin.QueryAsync("{ poolMoves(orderBy: [{at: ASC}]) { nodes { action reason note ownerId account { id } } } }"))["poolMoves"]!["nodes"]!.AsArray();

        // The scheduler first notes the schedule; ten days on, nothing is old enough.
        await fixture.RunJobsAsync(now);
        Assert.True(await fixture.RunJobsAsync(now.AddDays(10)) > 0);
        Assert.Empty(await Moves());

        // After 30 days without follow-up the idle account goes back, with its reason; the active customer stays.
        Assert.True(await fixture.RunJobsAsync(now.AddDays(31)) > 0);
        var moves = await Moves();
        var move = Assert.Single(moves)!;
        Assert.Equal(("returned", "noFollowUp", li, idle.Id()), (move["action"].Str(), move["reason"].Str(), move["ownerId"].Str(), move["account"]!.Id()));
        Assert.Contains("天未跟进", move["note"].Str(), StringComparison.Ordinal);
        var returned = (await admin.QueryAsync($"{{ a: account(id: \"{idle.Id()}\") {{ inPool poolReason ownerId }} b: account(id: \"{customer.Id()}\") {{ inPool ownerId }} }}"));
        Assert.Equal((true, "noFollowUp"), (returned["a"]!["inPool"]!.GetValue<bool>(), returned["a"]!["poolReason"].Str()));
        Assert.Equal((false, li), (returned["b"]!["inPool"]!.GetValue<bool>(), returned["b"]!["ownerId"].Str()));
        Assert.Contains((await liClient.QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray(), n => n!["message"].Str().Contains("杭州青禾文化传媒", StringComparison.Ordinal));

        // The same due time again runs nothing; the next night finds it already in the pool: still one return.
        Assert.Equal(0, await fixture.RunJobsAsync(now.AddDays(31)));
        await fixture.RunJobsAsync(now.AddDays(32));
        Assert.Single(await Moves());

        // No deal progress: with that rule alone, an account untouched for 40 days goes back for that reason.
        await tenant.SettingsAsync(new { poolNoFollowUpDays = 0, poolNoDealDays = 40 });
        var stalled = await admin.CreateAsync("Account", new { name = "宁波东港船务", ownerId = li });
        await fixture.RunJobsAsync(now.AddDays(41));
        var noDeal = (await Moves()).Single(m => m!["account"]!.Id() == stalled.Id())!;
        Assert.Equal(("returned", "noDealProgress"), (noDeal["action"].Str(), noDeal["reason"].Str()));
        Assert.Equal(2, (await Moves()).Count);
    }

    [Fact]
    public async Task Claims_respect_the_quota_and_the_cool_down_and_every_move_is_in_the_history()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (wang, wangClient) = await tenant.UserAsync("wang@example.cn", "王经理", rep: false);
        var (li, liClient) = await tenant.UserAsync("li@example.cn", "李娜", maxAccounts: 2);
        var (zhao, zhaoClient) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        await tenant.TeamAsync("华北销售部", wang, li, zhao);
        var a1 = await admin.CreateAsync("Account", new { name = "天津滨海化工", ownerId = li });
        var a2 = await admin.CreateAsync("Account", new { name = "石家庄恒信医药", ownerId = zhao });
        var a3 = await admin.CreateAsync("Account", new { name = "太原晋阳能源", ownerId = zhao });

        // 李娜 releases a1; she can't claim it back during the cool-down, 赵磊 can.
        var released = await liClient.RunAsync("mutation($id: ID!) { releaseAccount(id: $id, note: \"客户暂无需求\") { result { inPool poolReason } userErrors { field code message } } }", new { id = a1.Id() });
        Assert.Equal((true, "released"), (released["inPool"]!.GetValue<bool>(), released["poolReason"].Str()));
        Assert.Equal("COOL_DOWN", (await liClient.RefusedAsync(Claim, new { id = a1.Id() })).Code);
        var claimed = await zhaoClient.RunAsync(Claim, new { id = a1.Id() });
        Assert.Equal((zhao, false), (claimed["ownerId"].Str(), claimed["inPool"]!.GetValue<bool>()));

        // The quota: 李娜 may hold 2. She gets a2 and a3 (released by 赵磊) and then holds 2: a third claim is refused and writes nothing.
        await zhaoClient.RunAsync("mutation($id: ID!) { releaseAccount(id: $id) { result { id } userErrors { field code message } } }", new { id = a2.Id() });
        await zhaoClient.RunAsync("mutation($id: ID!) { releaseAccount(id: $id) { result { id } userErrors { field code message } } }", new { id = a3.Id() });
        await liClient.RunAsync(Claim, new { id = a2.Id() });
        var a4 = await admin.CreateAsync("Account", new { name = "呼和浩特草原乳业", ownerId = li });
        var before = await tenant.CountAsync("poolMoves");
        var quota = await liClient.RefusedAsync(Claim, new { id = a3.Id() });
        Assert.Equal("QUOTA_EXCEEDED", quota.Code);
        Assert.Equal(before, await tenant.CountAsync("poolMoves"));
        Assert.True((await admin.QueryAsync($"{{ account(id: \"{a3.Id()}\") {{ inPool }} }}"))["account"]!["inPool"]!.GetValue<bool>());
        _ = a4;

        // Managers assign; a rep can't.
        Assert.Equal("FORBIDDEN", (await zhaoClient.RefusedAsync("mutation($id: ID!, $u: ID!) { assignAccount(id: $id, userId: $u) { result { id } userErrors { field code message } } }", new { id = a3.Id(), u = zhao })).Code);
        var assigned = await wangClient.RunAsync("mutation($id: ID!, $u: ID!) { assignAccount(id: $id, userId: $u, note: \"重点跟进\") { result { ownerId inPool } userErrors { field code message } } }", new { id = a3.Id(), u = zhao });
        Assert.Equal((zhao, false), (assigned["ownerId"].Str(), assigned["inPool"]!.GetValue<bool>()));

        // a1's history: released by 李娜, claimed by 赵磊 — in the moves and in the record's own audit trail.
        var history = (await admin.QueryAsync($"{{ account360(id: \"{a1.Id()}\") {{ poolMoves {{ action ownerId createdBy }} account {{ history {{ changes {{ field }} }} }} }} }}"))["account360"]!;
        Assert.Equal([("claimed", zhao, zhao), ("released", li, li)], history["poolMoves"]!.AsArray().Select(m => (m!["action"].Str(), m["ownerId"].Str(), m["createdBy"].Str())));
        Assert.Contains(history["account"]!["history"]!.AsArray(), h => h!["changes"]!.AsArray().Any(c => c!["field"].Str() == "inPool"));
        Assert.Contains(history["account"]!["history"]!.AsArray(), h => h!["changes"]!.AsArray().Any(c => c!["field"].Str() == "ownerId"));
    }

    [Fact]
    public async Task Of_two_reps_claiming_the_same_account_at_once_exactly_one_succeeds()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (_, sunClient) = await tenant.UserAsync("sun@example.cn", "孙悦");
        var (_, qianClient) = await tenant.UserAsync("qian@example.cn", "钱程");
        var (holder, holderClient) = await tenant.UserAsync("zhou@example.cn", "周密");
        for (var round = 0; round < 5; round++)
        {
            var account = await admin.CreateAsync("Account", new { name = $"争抢客户 {round}", ownerId = holder });
            await holderClient.RunAsync("mutation($id: ID!) { releaseAccount(id: $id) { result { id } userErrors { field code message } } }", new { id = account.Id() });

            var results = await Task.WhenAll(sunClient.QueryAsync(Claim, new { id = account.Id() }), qianClient.QueryAsync(Claim, new { id = account.Id() }));
            var payloads = results.Select(r => r["claimAccount"]!).ToList();
            Assert.Single(payloads, p => p["userErrors"]!.AsArray().Count == 0);
            Assert.Equal("ALREADY_CLAIMED", payloads.Single(p => p["userErrors"]!.AsArray().Count > 0)["userErrors"]![0]!["code"].Str());
            var moves = (await admin.QueryAsync($"{{ account(id: \"{account.Id()}\") {{ poolMoves {{ nodes {{ action }} }} }} }}"))["account"]!["poolMoves"]!["nodes"]!.AsArray();
            Assert.Equal(1, moves.Count(m => m!["action"].Str() == "claimed"));
        }
    }
}
