namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Routing by hand: a hardware queue of five agents, and cases that need printer and network skills in
/// Chinese. Loads are open cases weighted by priority (normal 2, urgent 4); ties go round robin.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class RoutingTests(ServiceHost host)
{
    private const string Assign = "mutation($id: ID!) { assignServiceCase(id: $id) { result { ownerId assignmentReason assignedAt } userErrors { field code message } } }";

    [Fact]
    public async Task A_case_goes_to_the_least_loaded_online_agent_with_its_skills_and_language_and_the_next_tie_goes_round_robin()
    {
        var tenant = await host.TenantAsync();
        var queue = (await tenant.CreateAsync("ServiceQueue", new { name = "硬件支持" })).Id();
        var zhang = await AgentAsync(tenant, queue, "张伟", "online", "printer, network", ["zh"]);
        await AgentAsync(tenant, queue, "李娜", "online", "printer", ["zh", "en"]);
        await AgentAsync(tenant, queue, "王芳", "away", "printer,network", ["zh"]);
        await AgentAsync(tenant, queue, "刘洋", "online", "printer,network", ["en"]);
        var chen = await AgentAsync(tenant, queue, "陈杰", "online", "Printer,Network", ["zh"]);
        await tenant.CreateAsync("ServiceCase", new { subject = "张伟手上的普通工单", ownerId = zhang });
        await tenant.CreateAsync("ServiceCase", new { subject = "陈杰手上的紧急工单", priority = "urgent", ownerId = chen });
        var first = (await tenant.CreateAsync("ServiceCase", new { subject = "网络打印机脱机", queueId = queue, requiredSkills = "Network, printer", language = "zh" })).Id();
        var second = (await tenant.CreateAsync("ServiceCase", new { subject = "共享打印机无法连接", queueId = queue, requiredSkills = "printer,network", language = "zh" })).Id();

        var toZhang = await tenant.RunAsync(Assign, new { id = first });
        var toChen = await tenant.RunAsync(Assign, new { id = second });

        Assert.Equal(zhang, toZhang["ownerId"].Str());
        Assert.Equal("张伟: online, has skills network, printer, language zh, load 2 (1 open) is the lowest; others: 陈杰 load 4; excluded: 刘洋 doesn't speak zh; 李娜 lacks network; 王芳 away.", toZhang["assignmentReason"].Str());

        // 张伟 now carries two normal cases (4), as much as 陈杰's urgent one: 陈杰 waited longer since an assignment.
        Assert.Equal(chen, toChen["ownerId"].Str());
        Assert.Equal("陈杰: online, has skills network, printer, language zh, load 4 (1 open) is the lowest; others: 张伟 load 4; excluded: 刘洋 doesn't speak zh; 李娜 lacks network; 王芳 away.", toChen["assignmentReason"].Str());
    }

    [Fact]
    public async Task A_case_no_agent_can_take_is_refused_with_the_reasons_and_stays_unassigned()
    {
        var tenant = await host.TenantAsync();
        var queue = (await tenant.CreateAsync("ServiceQueue", new { name = "水电维修" })).Id();
        await AgentAsync(tenant, queue, "赵强", "online", "electric", ["zh"], maxOpenCases: 1);
        var full = await AgentAsync(tenant, queue, "孙丽", "online", "plumbing", ["zh"], maxOpenCases: 1);
        await tenant.CreateAsync("ServiceCase", new { subject = "孙丽已满", ownerId = full });
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "水管漏水", queueId = queue, requiredSkills = "plumbing" }, "id ownerId")).Id();

        var refused = await tenant.Admin.RefusedAsync(Assign, new { id });
        var after = await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { ownerId assignmentReason assignedAt } }", new { id });

        Assert.Equal(("SERVICE_NO_AGENT", "id"), (refused.Code, refused.Field));
        Assert.Equal("No agent can take it (needs skills plumbing, language zh); excluded: 孙丽 at cap (1/1); 赵强 lacks plumbing.", refused.Message);
        Assert.Null(after["serviceCase"]!["assignmentReason"]);
        Assert.Null(after["serviceCase"]!["assignedAt"]);
    }

    private static async Task<string> AgentAsync(ServiceTenant tenant, string queue, string name, string presence, string skills, string[] languages, int maxOpenCases = 10)
    {
        var email = $"{Guid.NewGuid():N}@desk.cn";
        var user = (await tenant.Admin.MutateAsync("mutation($e: String!, $n: String!) { createUser(email: $e, displayName: $n, roles: [\"user\"]) { user { id } userErrors { code message } } }", new { e = email, n = name }))["user"]!.Id();
        await tenant.CreateAsync("ServiceAgent", new { name, queueId = queue, presence, skills, languages, maxOpenCases, ownerId = user });
        return user;
    }
}
