using System.Reflection;
using CrmEngine.Sdk.Testing;

namespace Company.CrmPlugin.Tests;

/// <summary>The plugin in a real host: loaded from its build output, driven over GraphQL.</summary>
public sealed class TasksTests : IAsyncLifetime
{
    private static readonly string PluginFolder = typeof(TasksTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PluginFolder").Value!;

    private CrmTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CrmTestHost.StartAsync(PluginFolder);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_urgent_task_is_added_with_the_highest_priority()
    {
        var tenant = await _host.CreateTenantAsync("vendorprefix-tasks");

        var payload = await tenant.Admin.MutateAsync("mutation { vendorprefixAddUrgentTask(title: \"Call the customer\") { result { title priority status } userErrors { field code message } } }");

        Assert.Equal("Call the customer", payload["result"]!["title"]!.GetValue<string>());
        Assert.Equal(1, payload["result"]!["priority"]!.GetValue<int>());
        Assert.Equal("open", payload["result"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_blank_title_is_refused_on_the_title()
    {
        var tenant = await _host.CreateTenantAsync("vendorprefix-tasks");

        var refusal = await tenant.Admin.RefusedAsync("mutation { vendorprefixAddUrgentTask(title: \" \") { result { id } userErrors { field code message } } }");

        Assert.Equal("title", refusal.Field);
        var data = await tenant.Admin.QueryAsync("{ vendorprefixTasks { totalCount } }");
        Assert.Equal(0, data["vendorprefixTasks"]!["totalCount"]!.GetValue<int>());
    }
}
