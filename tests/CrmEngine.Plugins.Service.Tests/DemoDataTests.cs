using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>A fresh install's demo tenant, with sales and service on, shows cases in every state, SLA policies and knowledge articles on first start.</summary>
public sealed class DemoDataTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales,service"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_demo_tenant_shows_cases_in_every_state_sla_policies_agents_and_published_articles()
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
