using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>enablePlugin and disablePlugin answer with the state they leave, and asking for the state a plugin is already in changes nothing.</summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginSwitchTests(PluginHostFixture fixture)
{
    private const string Switch = "mutation($id: String!) { {0}(id: $id) { plugin { id enabled enabledVersion } metadataVersion userErrors { field code message } } }";

    private static async Task<JsonNode> SwitchAsync(TenantClient client, bool enable, string id = "tasks") =>
        (await client.QueryAsync(Switch.Replace("{0}", enable ? "enablePlugin" : "disablePlugin", StringComparison.Ordinal), new { id }))[enable ? "enablePlugin" : "disablePlugin"]!;

    /// <summary>The tenant's metadata version and its change log, one line per change.</summary>
    private static async Task<(int Version, string Log)> MetadataAsync(TenantClient client)
    {
        var data = await client.QueryAsync("{ metadataVersion metadataChanges(first: 500) { version summary } }");
        return (data["metadataVersion"]!.GetValue<int>(), string.Join('\n', data["metadataChanges"]!.AsArray().Select(c => $"{c!["version"]} {c["summary"]}")));
    }

    [Fact]
    public async Task Enabling_answers_with_the_plugin_enabled_and_disabling_with_it_disabled()
    {
        using var client = await fixture.Host.NewTenantAsync();

        var enabled = await SwitchAsync(client, enable: true);
        Assert.Empty(enabled["userErrors"]!.AsArray());
        Assert.Equal((true, "1.2.0"), (enabled["plugin"]!["enabled"]!.GetValue<bool>(), enabled["plugin"]!["enabledVersion"]!.GetValue<string>()));
        Assert.Equal((await MetadataAsync(client)).Version, enabled["metadataVersion"]!.GetValue<int>());

        var disabled = await SwitchAsync(client, enable: false);
        Assert.Empty(disabled["userErrors"]!.AsArray());
        Assert.False(disabled["plugin"]!["enabled"]!.GetValue<bool>());
        Assert.Null(disabled["plugin"]!["enabledVersion"]);
        Assert.Equal((await MetadataAsync(client)).Version, disabled["metadataVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Enabling_an_enabled_plugin_changes_nothing()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var before = await MetadataAsync(client);

        var again = await SwitchAsync(client, enable: true);

        Assert.Empty(again["userErrors"]!.AsArray());
        Assert.True(again["plugin"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(before.Version, again["metadataVersion"]!.GetValue<int>());
        Assert.Equal(before, await MetadataAsync(client));
        Assert.Equal(1, (await client.QueryAsync("{ tasks { totalCount } }"))["tasks"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Disabling_a_disabled_plugin_changes_nothing_and_an_unknown_plugin_is_not_found()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var before = await MetadataAsync(client);

        var again = await SwitchAsync(client, enable: false);
        Assert.Empty(again["userErrors"]!.AsArray());
        Assert.False(again["plugin"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(before.Version, again["metadataVersion"]!.GetValue<int>());

        var unknown = await SwitchAsync(client, enable: false, id: "no-such-plugin");
        Assert.Equal(("NOT_FOUND", "id"), (unknown["userErrors"]![0]!["code"]!.GetValue<string>(), unknown["userErrors"]![0]!["field"]!.GetValue<string>()));
        Assert.Equal(before, await MetadataAsync(client));
    }
}
