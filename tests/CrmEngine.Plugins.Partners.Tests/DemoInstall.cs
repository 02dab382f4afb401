namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>A fresh install's settings whose first start creates the demo tenant with sales and partners (jobs run by the tests).</summary>
public static class DemoInstall
{
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Crm:CreateDemoTenant"] = "true",
        ["Crm:DefaultPlugins"] = "sales,partners",
        ["Crm:PluginDirectory"] = Path.Combine(AppContext.BaseDirectory, "plugins"),
        ["Crm:JobsEnabled"] = "false",
    };
}
