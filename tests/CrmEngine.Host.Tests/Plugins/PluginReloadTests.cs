using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// reloadPlugins picks up a new plugin version from the plugin folder while the host runs: the new
/// code serves once each tenant's upgrade has finished, unchanged plugins stay as they are, and a
/// reload that would lose a loaded plugin changes nothing. Only an operator tenant's admins may reload.
/// </summary>
public sealed class PluginReloadTests : IDisposable
{
    private const string Operator = "ops";
    private const string Reload = "mutation { reloadPlugins { changed { id from to } plugins { id version status } userErrors { code message } } }";

    private readonly TestStore _store = TestStore.Create();
    private readonly TestPluginFolder _folder = new("TestPlugins.NotesV1", "TestPlugins.Tasks");
    private readonly TestPluginFolder _version2 = new("TestPlugins.NotesV2");
    private readonly CrmHost _host;

    public PluginReloadTests() =>
        _host = new CrmHost(_store, new Dictionary<string, string?>
        {
            ["Crm:PluginDirectory"] = _folder.Directory,
            ["Crm:JobPollInterval"] = "01:00:00",
            ["Crm:OperatorTenants"] = Operator,
        });

    public void Dispose()
    {
        _host.Dispose();
        _store.Dispose();
        _folder.Dispose();
        _version2.Dispose();
    }

    [Fact]
    public async Task A_new_version_put_in_the_plugin_folder_serves_after_reloadPlugins_without_a_restart_once_the_tenant_is_upgraded()
    {
        using var ops = await _host.NewTenantAsync(Operator);
        using var tenant = await NotesTenantAsync();
        var tasksBefore = await TaskCountAsync(tenant);
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await tenant.PostAsync("{ noteCount }")).FirstErrorCode);

        ReplaceNotesWithVersion2();
        var payload = (await ops.QueryAsync(Reload))["reloadPlugins"]!;

        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal([("notes", "1.0.0", "2.0.0")], payload["changed"]!.AsArray().Select(c => (c!["id"]!.GetValue<string>(), c["from"]!.GetValue<string>(), c["to"]!.GetValue<string>())));
        Assert.Contains(payload["plugins"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "notes" && p["version"]!.GetValue<string>() == "2.0.0");

        // The background upgrade moves the tenant to 2.0.0; the new operation and field serve then.
        await tenant.EventuallyAsync("{ plugins { id enabledVersion } }", data => Version(data) == "2.0.0");
        var data = await tenant.QueryAsync("{ noteCount notes { nodes { text } } }");
        Assert.Equal(2, data["noteCount"]!.GetValue<int>());
        Assert.Equal(["one", "two"], data["notes"]!["nodes"]!.AsArray().Select(n => n!["text"]!.GetValue<string>()).Order());
        // The unchanged plugin went on as it was.
        Assert.Equal(tasksBefore + 1, await CreateTaskAndCountAsync(tenant));
    }

    [Fact]
    public async Task Reloading_with_nothing_new_changes_nothing()
    {
        using var ops = await _host.NewTenantAsync(Operator);
        var schemaBefore = (await ops.PostAsync("{ metadataVersion }")).Data!["metadataVersion"]!.GetValue<int>();

        var payload = (await ops.QueryAsync(Reload))["reloadPlugins"]!;

        Assert.Empty(payload["changed"]!.AsArray());
        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal(schemaBefore, (await ops.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_reload_that_would_lose_a_loaded_plugin_is_refused_and_the_loaded_version_goes_on()
    {
        using var ops = await _host.NewTenantAsync(Operator);
        using var tenant = await NotesTenantAsync();
        Directory.Delete(Path.Combine(_folder.Directory, "TestPlugins.NotesV1"), recursive: true);

        var payload = (await ops.QueryAsync(Reload))["reloadPlugins"]!;

        Assert.Equal("PLUGIN_REFUSED", payload["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("notes", payload["userErrors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(payload["changed"]!.AsArray());
        await tenant.MutateAsync("mutation { createNote(input: { title: \"still here\", body: \"v1\" }) { userErrors { code } } }");
        Assert.Equal("1.0.0", Version(await tenant.QueryAsync("{ plugins { id enabledVersion } }")));
    }

    [Fact]
    public async Task Only_admins_of_an_operator_tenant_may_reload_and_a_refused_reload_loads_nothing()
    {
        using var tenant = await NotesTenantAsync();
        ReplaceNotesWithVersion2();

        var payload = (await tenant.QueryAsync(Reload))["reloadPlugins"]!;

        Assert.Equal("FORBIDDEN", payload["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(payload["changed"]!.AsArray());
        Assert.Contains(payload["plugins"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "notes" && p["version"]!.GetValue<string>() == "1.0.0");
    }

    /// <summary>A tenant with notes 1.0.0 and tasks enabled, two notes and a task.</summary>
    private async Task<TenantClient> NotesTenantAsync()
    {
        var client = await _host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"notes\") { userErrors { code } } }");
        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        foreach (var body in new[] { "one", "two" })
        {
            await client.MutateAsync("mutation($body: String!) { createNote(input: { title: $body, body: $body }) { userErrors { code } } }", new { body });
        }

        await CreateTaskAndCountAsync(client);
        return client;
    }

    private static async Task<int> CreateTaskAndCountAsync(TenantClient client)
    {
        await client.MutateAsync("mutation { createTask(input: { title: \"write the report\" }) { userErrors { code } } }");
        return await TaskCountAsync(client);
    }

    private static async Task<int> TaskCountAsync(TenantClient client) => (await client.QueryAsync("{ tasks { totalCount } }"))["tasks"]!["totalCount"]!.GetValue<int>();

    /// <summary>Puts notes 2.0.0's files in the folder notes 1.0.0 was loaded from, as an operator deploying it would.</summary>
    private void ReplaceNotesWithVersion2()
    {
        var target = Path.Combine(_folder.Directory, "TestPlugins.NotesV1");
        Directory.Delete(target, recursive: true);
        Directory.Move(Path.Combine(_version2.Directory, "TestPlugins.NotesV2"), target);
    }

    private static string? Version(JsonNode data) =>
        data["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "notes")!["enabledVersion"]?.GetValue<string>();
}
