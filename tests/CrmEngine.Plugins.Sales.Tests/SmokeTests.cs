namespace CrmEngine.Plugins.Sales.Tests;

[Collection(SalesHostGroup.Name)]
public sealed class SmokeTests(SalesHost fixture)
{
    [Fact]
    public async Task Enabling_sales_creates_its_entities_settings_and_standard_pipeline()
    {
        var tenant = await fixture.TenantAsync();
        var data = await tenant.Admin.QueryAsync("{ plugins { id status error enabled } pipelines { nodes { name isDefault stages { nodes { key probability category } } } } salesSettingsRecords { nodes { leadAssignment dedupFields currency } } entity(name: \"lead\") { label(locale: \"zh-CN\") } }");
        Assert.Equal("线索", data["entity"]!["label"]!.GetValue<string>());
        Assert.Equal(6, data["pipelines"]!["nodes"]![0]!["stages"]!["nodes"]!.AsArray().Count);
        Assert.Equal("roundRobin", data["salesSettingsRecords"]!["nodes"]![0]!["leadAssignment"]!.GetValue<string>());
    }
}
