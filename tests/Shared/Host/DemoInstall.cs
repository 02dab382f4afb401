namespace CrmEngine.Host.Tests.Support;

/// <summary>A fresh install whose first start creates the demo tenant with the module plugins a test names.</summary>
public static class DemoInstall
{
    /// <summary>
    /// Settings that create the demo tenant with <paramref name="defaultPlugins"/>, loaded from the plugins
    /// folder beside the test binaries; jobs are run by the tests, not the scheduler.
    /// </summary>
    public static Dictionary<string, string?> Settings(string defaultPlugins) => new()
    {
        ["Crm:CreateDemoTenant"] = "true",
        ["Crm:DefaultPlugins"] = defaultPlugins,
        ["Crm:PluginDirectory"] = Path.Combine(AppContext.BaseDirectory, "plugins"),
        ["Crm:JobsEnabled"] = "false",
    };
}
