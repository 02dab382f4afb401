using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>A fresh install's demo tenant, with sales and marketing on by default, shows campaigns with a return on first start.</summary>
public sealed class DemoDataTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales,marketing"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_demo_tenant_shows_campaigns_with_members_costs_responses_and_an_roi_on_first_start()
    {
        _ = _host.BaseAddress;
        var key = (await File.ReadAllTextAsync(Path.Combine(_host.DataDirectory, "demo-admin.key"))).Trim();
        using var demo = _host.Client("demo", key);

        var report = (await demo.QueryAsync("{ campaignAttribution(model: LINEAR) { wonRevenue attributedRevenue actualCost roi campaigns { campaign { name members { totalCount } } responses attributedRevenue actualCost roi } } }"))["campaignAttribution"]!;
        var campaigns = report["campaigns"]!.AsArray().ToDictionary(c => c!["campaign"]!["name"]!.GetValue<string>(), c => c!);

        // Four campaigns, costs 80,000 + 12,000 + 3,000 + 25,000 = 120,000.
        Assert.Equal(["上海工博会", "制造业数字化白皮书邮件", "抖音信息流广告", "智能工厂网络研讨会"], campaigns.Keys.Order());
        Assert.Equal((80000m, 12000m, 3000m, 25000m), (Dec(campaigns["上海工博会"], "actualCost"), Dec(campaigns["智能工厂网络研讨会"], "actualCost"), Dec(campaigns["制造业数字化白皮书邮件"], "actualCost"), Dec(campaigns["抖音信息流广告"], "actualCost")));
        Assert.Equal(120000m, Dec(report, "actualCost"));
        Assert.All(campaigns.Values, c => Assert.True(c["campaign"]!["members"]!["totalCount"]!.GetValue<int>() > 0));

        // Every deal's account visited the fair before the deal began, so the won deals are all
        // attributed, and the return is (attributed − cost) / cost, to 4 places.
        var won = Dec(report, "wonRevenue");
        Assert.True(won > 0m, "The demo has won deals.");
        Assert.Equal(won, Dec(report, "attributedRevenue"));
        Assert.Equal(Math.Round((won - 120000m) / 120000m, 4, MidpointRounding.AwayFromZero), Dec(report, "roi"));
        Assert.True(Dec(campaigns["上海工博会"], "attributedRevenue") > 0m && campaigns["上海工博会"]["responses"]!.GetValue<int>() > 0);
        Assert.Equal(Math.Round((Dec(campaigns["上海工博会"], "attributedRevenue") - 80000m) / 80000m, 4, MidpointRounding.AwayFromZero), Dec(campaigns["上海工博会"], "roi"));

        // The leads' opens and clicks are on their timelines: one interaction per opened or clicked membership.
        var engaged = (await demo.QueryAsync("{ campaignMembers(filter: {memberStatus: {in: [\"opened\", \"clicked\"]}}) { totalCount } marketingInteractions { totalCount } }"));
        Assert.True(engaged["campaignMembers"]!["totalCount"]!.GetValue<int>() > 0);
        Assert.Equal(engaged["campaignMembers"]!["totalCount"]!.GetValue<int>(), engaged["marketingInteractions"]!["totalCount"]!.GetValue<int>());

        // The demo's nurture journey is live as version 1, entered by the white paper's form.
        var journey = (await demo.QueryAsync("{ journeys { nodes { name status publishedVersion entryKind entryCampaign { name } versions { totalCount } } } }"))["journeys"]!["nodes"]!.AsArray().Single()!;
        Assert.Equal(("白皮书下载者培育", "live", 1, "formSubmitted", "制造业数字化白皮书邮件"),
            (journey["name"]!.GetValue<string>(), journey["status"]!.GetValue<string>(), journey["publishedVersion"]!.GetValue<int>(), journey["entryKind"]!.GetValue<string>(), journey["entryCampaign"]!["name"]!.GetValue<string>()));
    }

    private static decimal Dec(JsonNode node, string field) => node[field]!.GetValue<decimal>();
}
