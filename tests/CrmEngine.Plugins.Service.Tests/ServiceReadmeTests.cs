using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// A fresh install whose demo tenant has the sales and service plugins: checks the service demo data
/// it gets on first start (its twelve cases take CS-00001 to CS-00012), then runs the service module's
/// README (plugins/CrmEngine.Plugins.Service/README.md) as written, after the set-up block of the
/// repository README's walkthrough.
/// </summary>
public sealed class ServiceReadmeTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales,service"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_demo_data_is_there_on_first_start_and_the_readme_service_examples_work_as_written_on_the_demo_tenant()
    {
        // One demo install serves both: the demo data is checked before the examples add to it.
        await DemoDataAsync();
        var setup = DocExamples.Blocks(DocExamples.Readme, DocExamples.Walkthrough)[0];
        var service = DocExamples.Blocks(DocExamples.ServiceReadme);
        Assert.True(service.Count >= 9, $"Expected the bash blocks of {DocExamples.ServiceReadme}, found {service.Count}.");
        var outputs = await DocExamples.RunAsync(_host, [setup, .. service], "crm-service-readme.out");
        var output = string.Concat(outputs);

        Assert.Contains("\"workingDays\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"result\":{\"holidays\":7,\"workdays\":1}", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00013\",\"status\":\"new\"", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"slaPolicy\":{\"name\":\"普通工单\"}", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"pendingCustomer\",\"slaState\":\"paused\"", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_INVALID_TRANSITION\"", outputs[3], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_ESCALATION_REQUIRED\"", outputs[4], StringComparison.Ordinal);
        Assert.Contains("\"escalated\":true,\"priority\":\"high\"", outputs[5], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"resolved\"", outputs[5], StringComparison.Ordinal);
        Assert.Contains("\"assignmentReason\":\"王芳: online, has skills network, printer, language zh, load 0 (0 open) is the lowest.\"", outputs[6], StringComparison.Ordinal);
        Assert.Contains("\"ok\":{\"totalCount\":", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"published\",\"publishedVersion\":1", outputs[8], StringComparison.Ordinal);
        Assert.Contains("<strong>电源</strong>", outputs[8], StringComparison.Ordinal);
        Assert.Contains("\"searchKnowledge\":[{\"title\":\"打印机脱机怎么办\",\"status\":\"published\"}],\"knowledgeBaseLink\":\"/p/service/kb?token=", outputs[8], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00016\"", outputs[9], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00017\",\"priority\":\"high\",\"entitlementStatus\":\"covered\",\"entitlement\":{\"name\":\"金牌支持\"}", outputs[12], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00018\",\"priority\":\"normal\",\"entitlementStatus\":\"exhausted\"", outputs[12], StringComparison.Ordinal);
        Assert.Contains("\"allowance\":1,\"used\":1,\"remaining\":0", outputs[12], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_ALLOWANCE_BELOW_USED\"", outputs[13], StringComparison.Ordinal);
        Assert.Contains("\"result\":{\"question\":\"打印机显示已连接 Wi-Fi 吗？\",\"answers\":[\"是\",\"否\"]}", outputs[14], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"solved\",\"path\":\"打印机电源灯亮吗？ → 亮\\n打印机显示已连接 Wi-Fi 吗？ → 否\\n\"},\"solution\":{\"title\":\"打印机脱机怎么办\"}", outputs[14], StringComparison.Ordinal);
        Assert.Contains("\"solutionArticle\":{\"title\":\"打印机脱机怎么办\"}", outputs[14], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_TREE_CYCLE\"", outputs[15], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"WO-00001\",\"status\":\"scheduled\",\"technician\":{\"name\":\"赵工\"}", outputs[16], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"completed\",\"serviceReport\":\"现场服务报告 / Service report WO-00001", outputs[16], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"WO-00002\",\"status\":\"scheduled\"", outputs[17], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_DOUBLE_BOOKED\"", outputs[17], StringComparison.Ordinal);
        Assert.Contains("\"slaPolicy\":{\"name\":\"普通工单\",\"warnAtPercent\":80,\"nextResponseMinutes\":120}", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"serviceEscalationRule\":{\"name\":\"30 分钟未分配\",\"trigger\":\"unassigned\",\"minutes\":30,\"escalateTo\":{\"name\":\"张伟（组长）\"}}", outputs[18], StringComparison.Ordinal);
        Assert.Contains("\"escalations\":{\"nodes\":[{\"reason\":\"客户要求主管处理\",\"priorityBefore\":\"normal\",\"priorityAfter\":\"high\",\"rule\":null}]}", outputs[18], StringComparison.Ordinal);
        Assert.Contains("\"openServiceCases\":", outputs[19], StringComparison.Ordinal);
        Assert.Contains("\"serviceCases\":{\"nodes\":[{\"number\":\"CS-", outputs[19], StringComparison.Ordinal);
        Assert.Contains("Case number: <strong>CS-", outputs[20], StringComparison.Ordinal);
    }

    /// <summary>The demo tenant shows cases in every state, SLA policies, agents and published articles, and the accounts' service figures.</summary>
    private async Task DemoDataAsync()
    {
        _ = _host.BaseAddress;
        var key = (await File.ReadAllTextAsync(Path.Combine(_host.DataDirectory, "demo-admin.key"))).Trim();
        using var demo = _host.Client("demo", key);

        var data = await demo.QueryAsync("{ serviceCases(orderBy: [{ number: ASC }]) { totalCount nodes { number status priority slaState account { name } } } slaPolicies(orderBy: [{ priority: ASC }]) { nodes { name priority } } serviceAgents { totalCount } knowledgeArticles(filter: { status: { eq: \"published\" } }) { totalCount } searchKnowledge(text: \"路由器\") { title } rated: serviceCases(filter: { csatScore: { gte: 1 } }) { totalCount } }");
        var figures = await demo.EventuallyAsync("{ accounts(filter: { openServiceCases: { gte: 1 } }) { totalCount } }", d => d["accounts"]!["totalCount"]!.GetValue<int>() > 0);

        var cases = data["serviceCases"]!["nodes"]!.AsArray();
        Assert.Equal(12, data["serviceCases"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["closed", "new", "onHold", "open", "pendingCustomer", "resolved"], cases.Select(c => c!["status"].Str()).Distinct().Order());
        Assert.All(cases, c => Assert.NotNull(c!["account"]));
        Assert.Contains(cases, c => c!["slaState"].Str() is "breached" or "met");
        Assert.Equal(["紧急工单:urgent", "高优先级工单:high"], data["slaPolicies"]!["nodes"]!.AsArray().Select(p => $"{p!["name"].Str()}:{p["priority"].Str()}").Order());
        Assert.Equal((3, 5, 6), (data["serviceAgents"]!["totalCount"]!.GetValue<int>(), data["knowledgeArticles"]!["totalCount"]!.GetValue<int>(), data["rated"]!["totalCount"]!.GetValue<int>()));
        Assert.Equal(["路由器无法上网的排查步骤"], data["searchKnowledge"]!.AsArray().Select(a => a!["title"].Str()));
        Assert.True(figures["accounts"]!["totalCount"]!.GetValue<int>() > 0);
    }
}
