using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Plugins;

public sealed class DefaultPluginsTests
{
    [Fact]
    public async Task New_tenants_get_the_configured_default_plugins()
    {
        using var plugins = new PluginHostFixture();
        using var host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["Crm:PluginDirectory"] = plugins.PluginDirectory,
            ["Crm:DefaultPlugins"] = "tasks-extra, tasks",
        });
        using var client = await host.NewTenantAsync();

        var data = await client.QueryAsync("{ plugins { id enabled } tasks { totalCount } }");
        Assert.Equal(["tasks", "tasks-extra"], data["plugins"]!.AsArray().Where(p => p!["enabled"]!.GetValue<bool>()).Select(p => p!["id"]!.GetValue<string>()).Order());
        Assert.Equal(1, data["tasks"]!["totalCount"]!.GetValue<int>());
    }
}
