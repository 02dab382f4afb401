using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    [Fact]
    public async Task A_default_plugin_whose_seed_data_fails_leaves_the_new_tenant_made_with_every_default_plugin_enabled()
    {
        using var plugins = new PluginHostFixture();
        var logs = new LogCapture();
        using var host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["Crm:PluginDirectory"] = plugins.PluginDirectory,
            ["Crm:DefaultPlugins"] = "tasks-extra, tasks",
        })
        {
            ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(logs),
        };

        // The tasks plugin's seed throws for this tenant; creating it must not.
        using var client = await host.NewTenantAsync("seed-breaker-1");

        var data = await client.QueryAsync("{ plugins { id enabled } tasks { totalCount } }");
        Assert.Equal(["tasks", "tasks-extra"], data["plugins"]!.AsArray().Where(p => p!["enabled"]!.GetValue<bool>()).Select(p => p!["id"]!.GetValue<string>()).Order());
        Assert.Equal(0, data["tasks"]!["totalCount"]!.GetValue<int>());
        Assert.Contains(logs.With("TenantId", "seed-breaker-1"), e => e.Level == LogLevel.Error && e.Exception?.Message.Contains("SECRET seed detail", StringComparison.Ordinal) == true);
    }
}
