namespace CrmEngine.Plugins.Service.Tests;

/// <summary>Merging a duplicate case (合并重复工单): its messages move to the kept case, it closes as merged, and its entitlement case is given back.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class CaseMergeTests(ServiceHost host)
{
    private const string Merge = "mutation($id: ID!, $d: ID!) { mergeServiceCases(id: $id, duplicateId: $d) { result { number messages { nodes { direction subject body } } mergedCases { nodes { number } } } userErrors { field code message } } }";

    [Fact]
    public async Task A_duplicate_is_folded_into_the_kept_case_closed_as_merged_and_its_entitlement_case_given_back()
    {
        var tenant = await host.TenantAsync();
        var account = (await tenant.CreateAsync("Account", new { name = "上海星辰科技有限公司" })).Id();
        var entitlement = (await tenant.CreateAsync("ServiceEntitlement", new { name = "基础支持", accountId = account, startDate = "2020-01-01", endDate = "2099-12-31", allowance = 5 })).Id();
        var kept = (await tenant.CreateAsync("ServiceCase", new { subject = "路由器无法联网", accountId = account })).Id();
        var duplicate = (await tenant.CreateAsync("ServiceCase", new { subject = "路由器还是不能上网", accountId = account })).Id();
        await tenant.CreateAsync("ServiceCaseMessage", new { caseId = duplicate, direction = "inbound", body = "昨天报过一次了。" });

        var merged = await tenant.RunAsync(Merge, new { id = kept, d = duplicate });
        var after = (await tenant.QueryAsync("query($d: ID!, $e: ID!) { serviceCase(id: $d) { status resolution mergedIntoCase { number } messages { totalCount } } serviceEntitlement(id: $e) { used remaining } }", new { d = duplicate, e = entitlement }))!;

        Assert.Equal("inbound::昨天报过一次了。|note:合并 / Merged CS-00002:CS-00002 路由器还是不能上网", string.Join("|", merged["messages"]!["nodes"]!.AsArray().Select(m => $"{m!["direction"].Str()}:{m["subject"]?.GetValue<string>()}:{m["body"].Str()}")));
        Assert.Equal("CS-00002", merged["mergedCases"]!["nodes"]![0]!["number"].Str());
        Assert.Equal(("closed", "合并至 CS-00001 / Merged into CS-00001", "CS-00001", 0), (after["serviceCase"]!["status"].Str(), after["serviceCase"]!["resolution"].Str(), after["serviceCase"]!["mergedIntoCase"]!["number"].Str(), after["serviceCase"]!["messages"]!["totalCount"]!.GetValue<int>()));
        Assert.Equal((1m, 4m), (after["serviceEntitlement"]!["used"]!.GetValue<decimal>(), after["serviceEntitlement"]!["remaining"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task Merging_a_case_into_itself_or_a_closed_one_is_refused_and_changes_nothing()
    {
        var tenant = await host.TenantAsync();
        var open = (await tenant.CreateAsync("ServiceCase", new { subject = "发票抬头错误" })).Id();
        var closed = (await tenant.CreateAsync("ServiceCase", new { subject = "发票抬头又错了" })).Id();
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = closed, s = "resolved", r = "已重开。" });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = closed, s = "closed" });

        var itself = await tenant.Admin.RefusedAsync(Merge, new { id = open, d = open });
        var intoClosed = await tenant.Admin.RefusedAsync(Merge, new { id = closed, d = open });
        var fromClosed = await tenant.Admin.RefusedAsync(Merge, new { id = open, d = closed });
        var direct = await tenant.Admin.RefusedAsync("mutation($id: ID!, $to: ID!) { updateServiceCase(id: $id, input: {mergedIntoCaseId: $to}) { serviceCase { id } userErrors { field code message } } }", new { id = open, to = closed });

        Assert.Equal([("INVALID_INPUT", "duplicateId"), ("SERVICE_CASE_CLOSED", "id"), ("SERVICE_CASE_CLOSED", "duplicateId"), ("SERVICE_STATUS_BY_OPERATION", "mergedIntoCase")],
            new[] { itself, intoClosed, fromClosed, direct }.Select(e => (e.Code, e.Field)));
        var state = await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { status mergedIntoCase { id } messages { totalCount } } }", new { id = open });
        Assert.Equal(("new", null, 0), (state["serviceCase"]!["status"].Str(), state["serviceCase"]!["mergedIntoCase"], state["serviceCase"]!["messages"]!["totalCount"]!.GetValue<int>()));
    }
}
