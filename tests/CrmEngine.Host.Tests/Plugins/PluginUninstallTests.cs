using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>uninstallPlugin: with purgeData and the plugin id repeated in confirm, the plugin's entities and data go for good; without it, nothing changes.</summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginUninstallTests(PluginHostFixture fixture)
{
    private const string Uninstall = "mutation($id: String!, $purge: Boolean, $confirm: String) { uninstallPlugin(id: $id, purgeData: $purge, confirm: $confirm) { plugin { enabled } metadataVersion userErrors { field code message } } }";

    private static async Task<(int Version, string Entities, int Tasks)> StateAsync(TenantClient client)
    {
        var data = await client.QueryAsync("{ metadataVersion entities { name fields { name } } tasks(deleted: INCLUDE) { totalCount } }");
        var entities = string.Join(';', data["entities"]!.AsArray().Select(e => $"{e!["name"]}:{string.Join(',', e["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()))}"));
        return (data["metadataVersion"]!.GetValue<int>(), entities, data["tasks"]!["totalCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Tasks")]
    [InlineData("tasks-extra")]
    public async Task Purging_without_the_plugin_id_confirmed_is_refused_and_changes_nothing(string? confirm)
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync("mutation { createTask(input: { title: \"keep\" }) { userErrors { code } } }");
        var before = await StateAsync(client);

        var payload = (await client.QueryAsync(Uninstall, new { id = "tasks", purge = true, confirm }))["uninstallPlugin"]!;

        var error = payload["userErrors"]![0]!;
        Assert.Equal(("CONFIRMATION_REQUIRED", "confirm"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains("confirm: \"tasks\"", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(payload["plugin"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(before, await StateAsync(client));
    }

    [Fact]
    public async Task Purging_confirmed_drops_the_plugins_entities_and_records_and_enabling_again_starts_afresh()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(Schemas.AddField, new { entity = "task", input = Schemas.Field("customerRef", "TEXT") });
        await client.MutateAsync("mutation { createTask(input: { title: \"gone\", customerRef: \"C-1\" }) { userErrors { code } } }");

        var payload = (await client.QueryAsync(Uninstall, new { id = "tasks", purge = true, confirm = "tasks" }))["uninstallPlugin"]!;

        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.False(payload["plugin"]!["enabled"]!.GetValue<bool>());
        var entities = await client.QueryAsync("{ entities { name } }");
        Assert.DoesNotContain(entities["entities"]!.AsArray(), e => e!["name"]!.GetValue<string>() is "task" or "taskEvent");

        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        var tasks = await client.QueryAsync("{ tasks(deleted: INCLUDE) { nodes { title code } } entity(name: \"task\") { field(name: \"customerRef\") { name } } }");
        Assert.Equal([("Welcome 欢迎", "TSK-001")], tasks["tasks"]!["nodes"]!.AsArray().Select(t => (t!["title"]!.GetValue<string>(), t["code"]!.GetValue<string>())));
        Assert.Null(tasks["entity"]!["field"]);
    }

    [Fact]
    public async Task Purging_a_plugin_that_extends_another_drops_only_its_own_fields()
    {
        using var client = await fixture.TenantWithAsync("tasks", "tasks-extra");
        await client.MutateAsync("mutation { createTask(input: { title: \"stays\", estimateHours: 2 }) { userErrors { code } } }");

        var payload = (await client.QueryAsync(Uninstall, new { id = "tasks-extra", purge = true, confirm = "tasks-extra" }))["uninstallPlugin"]!;

        Assert.Empty(payload["userErrors"]!.AsArray());
        var data = await client.QueryAsync("{ tasks { nodes { title } } entity(name: \"task\") { field(name: \"estimateHours\") { name } } }");
        Assert.Equal(["Welcome 欢迎", "stays"], data["tasks"]!["nodes"]!.AsArray().Select(t => t!["title"]!.GetValue<string>()));
        Assert.Null(data["entity"]!["field"]);
    }

    [Fact]
    public async Task Uninstalling_without_purge_disables_and_keeps_the_data()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync("mutation { createTask(input: { title: \"kept\" }) { userErrors { code } } }");

        var payload = (await client.QueryAsync(Uninstall, new { id = "tasks", purge = false, confirm = (string?)null }))["uninstallPlugin"]!;
        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.False(payload["plugin"]!["enabled"]!.GetValue<bool>());

        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        Assert.Equal(2, (await client.QueryAsync("{ tasks { totalCount } }"))["tasks"]!["totalCount"]!.GetValue<int>());
    }
}
