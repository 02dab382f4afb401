namespace CrmEngine.Plugins.Marketing.Tests;

[Collection(MarketingHostGroup.Name)]
public sealed class SmokeTests(MarketingHost fixture)
{
    [Fact]
    public async Task Enabling_marketing_beside_sales_adds_its_entities_with_english_and_chinese_labels()
    {
        var tenant = await fixture.TenantAsync();
        var data = await tenant.Admin.QueryAsync("""
            { plugins { id status enabled }
              campaign: entity(name: "campaign") { label(locale: "zh-CN") fields { name label(locale: "zh-CN") } }
              plan: entity(name: "marketingPlan") { label(locale: "zh-CN") }
              cost: entity(name: "campaignCost") { label(locale: "en") }
              member: entity(name: "campaignMember") { label(locale: "zh-CN") } }
            """);

        Assert.Contains(data["plugins"]!.AsArray(), p => p!["id"].Str() == "marketing" && p["enabled"]!.GetValue<bool>());
        Assert.Equal(("市场活动", "市场计划", "Campaign cost", "活动成员"), (data["campaign"]!["label"].Str(), data["plan"]!["label"].Str(), data["cost"]!["label"].Str(), data["member"]!["label"].Str()));
        Assert.Contains(data["campaign"]!["fields"]!.AsArray(), f => f!["name"].Str() == "actualCost" && f["label"].Str() == "实际费用");
    }
}
