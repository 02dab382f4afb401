using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>A fresh install whose demo tenant has sales and partners shows the channel on first start.</summary>
public sealed class DemoDataTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales,partners"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_demo_tenant_starts_with_partners_agreements_registrations_and_a_budget()
    {
        _ = _host.BaseAddress;
        using var demo = _host.Client("demo", (await File.ReadAllTextAsync(Path.Combine(_host.DataDirectory, "demo-admin.key"))).Trim());

        var data = await demo.QueryAsync("""
            { partners(first: 5, orderBy: { name: ASC }) { totalCount nodes { name type tier contacts { totalCount } certifications { totalCount }
                agreements(first: 2) { nodes { status rates(first: 2) { nodes { category commissionRate } } } } registrations { totalCount } } }
              dealRegistrations(filter: { status: { eq: "draft" } }) { totalCount }
              mdfBudgets(first: 2) { nodes { partner { name } amount { amount } committed { amount } requests(first: 2) { nodes { activity status partner { name } } } } } }
            """);

        var partners = data["partners"]!;
        Assert.Equal(3, partners["totalCount"]!.GetValue<int>());
        Assert.Equal(["广州南粤数智科技有限公司", "成都蜀信软件股份有限公司", "杭州云启信息技术有限公司"], partners["nodes"]!.AsArray().Select(p => p!["name"]!.Str()).Order(StringComparer.Ordinal));
        foreach (var partner in partners["nodes"]!.AsArray())
        {
            Assert.Equal(1, partner!["contacts"]!["totalCount"]!.GetValue<int>());
            Assert.Equal(1, partner["certifications"]!["totalCount"]!.GetValue<int>());
            Assert.Equal(2, partner["registrations"]!["totalCount"]!.GetValue<int>());
            var agreement = partner["agreements"]!["nodes"]![0]!;
            Assert.Equal("draft", agreement["status"]!.Str());
            Assert.Equal(8m, agreement["rates"]!["nodes"]![0]!["commissionRate"]!.GetValue<decimal>());
        }

        Assert.Equal(6, data["dealRegistrations"]!["totalCount"]!.GetValue<int>());
        var budget = data["mdfBudgets"]!["nodes"]![0]!;
        Assert.Equal("杭州云启信息技术有限公司", budget["partner"]!["name"]!.Str());
        Assert.Equal(100000m, budget["amount"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(0m, budget["committed"]!["amount"]!.GetValue<decimal>());
        Assert.Equal("华东区新品发布会", budget["requests"]!["nodes"]![0]!["activity"]!.Str());
        Assert.Equal("杭州云启信息技术有限公司", budget["requests"]!["nodes"]![0]!["partner"]!["name"]!.Str());
    }
}
