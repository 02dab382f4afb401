using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Plugins;

[Trait(StoreTraits.Name, StoreTraits.Independent)]
[Collection(PluginHostGroup.Name)]
public sealed class PluginLoadingTests(PluginHostFixture fixture)
{
    private async Task<Dictionary<string, JsonNode>> PluginsAsync(TenantClient client)
    {
        var data = await client.QueryAsync("{ plugins { id version status error enabled entities extendedEntities dependencies operations { name kind } displayName(locale: \"zh-CN\") } }");
        return data["plugins"]!.AsArray().ToDictionary(p => p!["id"]!.GetValue<string>(), p => p!);
    }

    [Fact]
    public async Task Plugins_that_can_not_work_here_are_refused_with_a_reason_and_the_host_still_serves()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var plugins = await PluginsAsync(client);

        string Error(string id) => plugins[id]["error"]!.GetValue<string>();
        Assert.All(new[] { "bad-manifest", "missing-dependency", "future-sdk", "no-assembly", "broken" }, id => Assert.Equal("REFUSED", plugins[id]["status"]!.GetValue<string>()));
        Assert.Contains("not valid JSON", Error("bad-manifest"), StringComparison.Ordinal);
        Assert.Contains("'nope'", Error("missing-dependency"), StringComparison.Ordinal);
        Assert.Contains("needs SDK >=9.0.0", Error("future-sdk"), StringComparison.Ordinal);
        Assert.Contains("Missing.dll", Error("no-assembly"), StringComparison.Ordinal);
        Assert.Contains("configuration file missing", Error("broken"), StringComparison.Ordinal);

        Assert.All(new[] { "tasks", "tasks-extra", "json-old", "json-new" }, id => Assert.Equal("LOADED", plugins[id]["status"]!.GetValue<string>()));
        Assert.Equal("任务", plugins["tasks"]["displayName"]!.GetValue<string>());
        Assert.Equal(["task", "taskEvent"], plugins["tasks"]["entities"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("tasks ^1.0", plugins["tasks-extra"]["dependencies"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Theory]
    [InlineData("next-sdk", "^0.4")]
    [InlineData("major-sdk", "^1.0")]
    public async Task A_plugin_that_needs_a_later_SDK_is_refused_saying_which_SDKs_this_host_runs(string id, string range)
    {
        using var client = await fixture.Host.NewTenantAsync();
        var plugin = (await PluginsAsync(client))[id];

        Assert.Equal("REFUSED", plugin["status"]!.GetValue<string>());
        Assert.Equal($"Plugin '{id}' needs SDK {range}, but this host has SDK 0.3.2, which runs plugins built for SDK 0.1.0 to 0.3.2.", plugin["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plugin_built_for_SDK_0_1_loads_on_a_later_SDK_and_its_operation_works()
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.PluginDirectory, "TestPlugins.Tasks", "plugin.json")))!;
        Assert.Equal("^0.1", manifest["sdk"]!.GetValue<string>());
        using var client = await fixture.TenantWithAsync("tasks");
        Assert.Equal("LOADED", (await PluginsAsync(client))["tasks"]["status"]!.GetValue<string>());
        var id = (await client.MutateAsync("mutation { createTask(input: { title: \"from 0.1\" }) { task { id } userErrors { code } } }"))["task"]!["id"]!.GetValue<string>();

        var completed = await client.MutateAsync("mutation($id: ID!) { completeTask(id: $id) { result { id status } userErrors { code } } }", new { id });

        Assert.Equal((id, "done"), (completed["result"]!["id"]!.GetValue<string>(), completed["result"]!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Enabling_a_refused_plugin_is_refused()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var data = await client.QueryAsync("mutation { enablePlugin(id: \"broken\") { userErrors { code message } } }");
        Assert.Equal("PLUGIN_REFUSED", data["enablePlugin"]!["userErrors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_plugins_with_different_versions_of_one_library_each_see_their_own()
    {
        using var client = await fixture.TenantWithAsync("json-old", "json-new");
        var data = await client.QueryAsync("{ jsonOldVersion jsonNewVersion }");
        Assert.StartsWith("12.0.0.0 {\"ok\":true}", data["jsonOldVersion"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("13.0.0.0 {\"ok\":true}", data["jsonNewVersion"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plugin_operations_are_listed()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var plugins = await PluginsAsync(client);
        var operations = plugins["tasks"]["operations"]!.AsArray().Select(o => (o!["name"]!.GetValue<string>(), o["kind"]!.GetValue<string>())).ToList();
        Assert.Contains(("completeTask", "MUTATION"), operations);
        Assert.Contains(("taskSummary", "QUERY"), operations);
    }
}
