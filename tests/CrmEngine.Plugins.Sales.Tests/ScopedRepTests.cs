using static CrmEngine.Plugins.Sales.Tests.ScopedDesk;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// Reps and managers whose role reaches only their own records still work by the module's rules:
/// the shared pool serves them, and the plugin's privileged bookkeeping never does more for them
/// than their role and the module's rules allow.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class ScopedRepTests(SalesHost fixture)
{
    private const string Errors = "userErrors { field code message }";
    private const string Claim = "mutation($id: ID!) { claimAccount(id: $id) { result { id ownerId inPool } " + Errors + " } }";
    private const string Release = "mutation($id: ID!) { releaseAccount(id: $id) { result { id ownerId inPool } " + Errors + " } }";
    private const string Assign = "mutation($id: ID!, $u: ID!) { assignAccount(id: $id, userId: $u) { result { id ownerId } " + Errors + " } }";

    [Fact]
    public async Task Reps_and_managers_who_see_only_their_own_records_still_work_the_pool()
    {
        var desk = await OpenAsync(fixture, "OWN");
        var (li, wang, admin) = (desk.LiClient, desk.WangClient, desk.Admin);
        var (_, plain) = await desk.Tenant.UserWithOnlyAsync("xu@example.cn", "许会计", rep: false, "scopedRep");
        var pool = (await admin.CreateAsync("Account", new { name = "杭州青禾文化传媒", ownerId = desk.Zhao })).Id();
        await admin.RunAsync(Release, new { id = pool });

        // 李娜 can't read the pool account, yet claims it: the pool is there for reps.
        var claimed = await li.RunAsync(Claim, new { id = pool });
        Assert.Equal((desk.Li, false), (claimed["ownerId"].Str(), claimed["inPool"]!.GetValue<bool>()));

        // She gives it back; once in the pool it is no longer hers to read, so the result is empty.
        var released = await li.MutateAsync(Release, new { id = pool });
        Assert.Null(released["result"]);
        Assert.Equal((true, false), await PoolStateAsync(admin, pool, desk.Li));

        // Her manager, who reads only his own records too, assigns it to her from the pool, and may take it back to the pool.
        await wang.MutateAsync(Assign, new { id = pool, u = desk.Li });
        Assert.Equal((false, true), await PoolStateAsync(admin, pool, desk.Li));
        await wang.MutateAsync(Release, new { id = pool });
        Assert.Equal((true, false), await PoolStateAsync(admin, pool, desk.Li));

        // Someone the pool doesn't serve (neither a rep nor a manager) gets the made-up id's answer for a pool account.
        await AnswersAsMadeUpAsync(plain, Release, "account", pool, id => new { id });
        Assert.Equal(3, await desk.Tenant.CountAsync("poolMoves", "{ action: { eq: \"released\" } }"));
    }

    [Fact]
    public async Task Converting_someone_elses_lead_needs_the_right_to_change_it()
    {
        var desk = await OpenAsync(fixture, "OWN");
        var (_, sun) = await desk.Tenant.UserAsync("sun@example.cn", "孙悦");
        var convert = $"mutation($id: ID!) {{ convertLead(id: $id, createOpportunity: true) {{ result {{ account {{ id }} }} {Errors} }} }}";

        // 孙悦 reads every lead (the built-in user role) but changes only her own.
        var refused = await sun.RefusedAsync(convert, new { id = desk.Hidden["lead"] });
        Assert.Equal(("FORBIDDEN", "id"), (refused.Code, refused.Field));
        Assert.Equal((0, 1, 1), (await desk.Tenant.CountAsync("contacts"), await desk.Tenant.CountAsync("accounts"), await desk.Tenant.CountAsync("opportunities")));
        Assert.Equal("qualified", (await desk.Admin.QueryAsync($"{{ lead(id: \"{desk.Hidden["lead"]}\") {{ status }} }}"))["lead"]!["status"].Str());
    }

    [Fact]
    public async Task Operation_results_never_show_a_field_the_callers_role_hides()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("discreetRep", "OWN", "account.phone");
        var (li, liClient) = await tenant.UserWithOnlyAsync("li@example.cn", "李娜", rep: true, "discreetRep");
        var account = (await tenant.Admin.CreateAsync("Account", new { name = "苏州明德精密机械", phone = "0512-66668888", ownerId = li })).Id();
        await liClient.RunAsync(Release, new { id = account });
        await tenant.SettingsAsync(new { claimCoolDownDays = 0 });

        var claimed = await liClient.RunAsync("mutation($id: ID!) { claimAccount(id: $id) { result { name phone } " + Errors + " } }", new { id = account });
        Assert.Equal("苏州明德精密机械", claimed["name"].Str());
        Assert.Null(claimed["phone"]);
        Assert.Equal("0512-66668888", (await tenant.Admin.QueryAsync($"{{ account(id: \"{account}\") {{ phone }} }}"))["account"]!["phone"].Str());
    }

    [Fact]
    public async Task The_tenants_sales_settings_and_reps_apply_to_callers_who_cant_read_those_records()
    {
        var desk = await OpenAsync(fixture, "OWN");
        var admin = desk.Admin;
        await admin.MutateAsync("mutation { saveRole(input: { name: \"director\", entities: [{ entity: \"contract\", read: ALL }] }) { role { name } userErrors { code message } } }");
        var (_, director) = await desk.Tenant.UserWithOnlyAsync("qian@example.cn", "钱总监", rep: false, "scopedRep", "director");
        await desk.Tenant.SettingsAsync(new { managerRole = "director", leadAssignment = "roundRobin" });

        // The tenant's manager role is 'director': 钱总监 approves although he can't read the settings record.
        var approved = await director.RunAsync($"mutation($id: ID!) {{ approveContract(id: $id, comment: \"同意\") {{ result {{ status }} {Errors} }} }}", new { id = desk.Hidden["contract"] });
        Assert.Equal("approved", approved["status"].Str());

        // Round robin spreads 李娜's new leads over every rep, not only the one profile she can read (her own).
        foreach (var (name, email) in new[] { ("刘芳", "liu.fang@example.cn"), ("黄磊", "huang.lei@example.cn") })
        {
            await desk.LiClient.MutateAsync("mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } " + Errors + " } }", new { i = new { name, email } });
        }

        var owners = (await admin.QueryAsync("{ leads(filter: { name: { in: [\"刘芳\", \"黄磊\"] } }) { nodes { ownerId } } }"))["leads"]!["nodes"]!.AsArray().Select(l => l!["ownerId"].Str());
        Assert.Equal(new[] { desk.Li, desk.Zhao }.Order(StringComparer.Ordinal), owners.Order(StringComparer.Ordinal));
    }

    private static async Task<(bool InPool, bool HeldByLi)> PoolStateAsync(GraphQLClient admin, string id, string li)
    {
        var account = (await admin.QueryAsync($"{{ account(id: \"{id}\") {{ inPool ownerId }} }}"))["account"]!;
        return (account["inPool"]!.GetValue<bool>(), account["ownerId"].Str() == li);
    }
}
