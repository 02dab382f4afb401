using CrmEngine.Engine.Tenancy;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// Per-tenant plugin settings over HTTP, with the chores test plugin (one setting of every type,
/// one of them a secret): admins read and set them, the plugin's hook, job and operation read them.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginSettingsTests(PluginHostFixture fixture)
{
    private const string Read = "{ pluginSettings(plugin: \"chores\") { name type label(locale: \"zh-CN\") secret isSet value defaultValue options { value } } }";

    private const string Set = "mutation($values: [PluginSettingValue!]!) { setPluginSettings(plugin: \"chores\", values: $values) { settings { name isSet value } userErrors { field code message } } }";

    private const string Described = "{ choreSettings }";

    [Fact]
    public async Task An_admin_sees_the_declared_settings_with_their_types_labels_and_defaults()
    {
        using var client = await fixture.TenantWithAsync("chores");

        var settings = (await client.QueryAsync(Read))["pluginSettings"]!.AsArray();

        Assert.Equal(
            ["greeting STRING 问候语 Hello", "batchSize INTEGER 批大小 10", "rate DECIMAL 费率 1.5", "loud BOOLEAN 大声 false", "tier PICKLIST 级别 basic", "apiKey STRING API 密钥 "],
            settings.Select(s => $"{s!["name"]} {s["type"]} {s["label"]} {s["defaultValue"]?.ToJsonString().Trim('"')}"));
        Assert.All(settings, s => Assert.False(s!["isSet"]!.GetValue<bool>()));
        Assert.Equal(["basic", "pro"], settings[4]!["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>()));
        Assert.True(settings[5]!["secret"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Values_an_admin_sets_are_what_the_plugin_reads_in_its_operation_hook_and_job()
    {
        using var client = await fixture.TenantWithAsync("chores");
        using var other = await fixture.TenantWithAsync("chores");

        await client.MutateAsync(Set, new
        {
            values = new object[]
            {
                new { name = "greeting", value = "你好" },
                new { name = "batchSize", value = (object)25 },
                new { name = "rate", value = (object)"12.3450" },
                new { name = "loud", value = (object)true },
                new { name = "tier", value = "pro" },
                new { name = "apiKey", value = "sk-live-123" },
            },
        });

        Assert.Equal("你好 25 12.3450 True pro key=sk-live-123", (await client.QueryAsync(Described))["choreSettings"]!.GetValue<string>());
        var created = await client.MutateAsync("mutation { createChoreLog(input: { message: \"hook\" }) { choreLog { note } userErrors { code } } }");
        Assert.Equal("你好", created["choreLog"]!["note"]!.GetValue<string>());
        await PluginJobRunTests.EndedAsync(client, (await client.MutateAsync(PluginJobRunTests.RunJob, new { plugin = "chores", job = "report" }))["run"]!["id"]!.GetValue<string>());
        var logs = await client.QueryAsync("{ choreLogs(filter: { note: { eq: \"你好\" } }) { nodes { message } } }");
        Assert.Contains("report: 你好 25 12.3450 True pro key=sk-live-123", logs["choreLogs"]!["nodes"]!.AsArray().Select(n => n!["message"]!.GetValue<string>()));

        // Settings are the tenant's own: another tenant still has the defaults.
        Assert.Equal("Hello 10 1.5 False basic key=none", (await other.QueryAsync(Described))["choreSettings"]!.GetValue<string>());
    }

    [Fact]
    public async Task Clearing_a_value_brings_back_the_default()
    {
        using var client = await fixture.TenantWithAsync("chores");
        await client.MutateAsync(Set, new { values = new[] { new { name = "greeting", value = "Hi" }, new { name = "apiKey", value = "k" } } });

        var settings = (await client.MutateAsync(Set, new { values = new[] { new { name = "greeting", value = (string?)null }, new { name = "apiKey", value = (string?)null } } }))["settings"]!.AsArray();

        Assert.All(settings, s => Assert.False(s!["isSet"]!.GetValue<bool>()));
        Assert.Equal("Hello 10 1.5 False basic key=none", (await client.QueryAsync(Described))["choreSettings"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_with_typed_errors_and_nothing_changes()
    {
        using var client = await fixture.TenantWithAsync("chores");
        await client.MutateAsync(Set, new { values = new[] { new { name = "greeting", value = "Before" } } });

        var payload = (await client.QueryAsync(Set, new
        {
            values = new object[]
            {
                new { name = "greeting", value = "After" },
                new { name = "batchSize", value = "many" },
                new { name = "rate", value = (object)true },
                new { name = "loud", value = "yes" },
                new { name = "tier", value = "gold" },
                new { name = "batchSize", value = (object)1.5 },
                new { name = "nope", value = (object)1 },
            },
        }))["setPluginSettings"]!;

        Assert.Null(payload["settings"]);
        Assert.Equal(
            ["batchSize INVALID_VALUE", "rate INVALID_VALUE", "loud INVALID_VALUE", "tier INVALID_OPTION", "batchSize INVALID_INPUT", "nope NOT_FOUND"],
            payload["userErrors"]!.AsArray().Select(e => $"{e!["field"]} {e["code"]}"));
        Assert.Equal("Before 10 1.5 False basic key=none", (await client.QueryAsync(Described))["choreSettings"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_whole_number_setting_refuses_a_fraction()
    {
        using var client = await fixture.TenantWithAsync("chores");

        var payload = (await client.QueryAsync(Set, new { values = new[] { new { name = "batchSize", value = 2.5 } } }))["setPluginSettings"]!;

        Assert.Equal("batchSize INVALID_VALUE", payload["userErrors"]!.AsArray().Select(e => $"{e!["field"]} {e["code"]}").Single());
    }

    [Fact]
    public async Task A_secret_is_never_returned_and_is_not_in_the_database_as_plain_text()
    {
        using var client = await fixture.TenantWithAsync("chores");

        var set = (await client.MutateAsync(Set, new { values = new[] { new { name = "apiKey", value = "sk-live-SECRET-42" } } }))["settings"]!.AsArray();
        var read = (await client.QueryAsync(Read))["pluginSettings"]!.AsArray();

        Assert.All(new[] { set, read }, list =>
        {
            var apiKey = list.Single(s => s!["name"]!.GetValue<string>() == "apiKey")!;
            Assert.True(apiKey["isSet"]!.GetValue<bool>());
            Assert.Null(apiKey["value"]);
        });
        var store = await fixture.Host.Service<TenantRegistry>().GetAsync(client.TenantId, CancellationToken.None);
        var stored = await StoreInspector.QueryAsync(store.ConnectionString, "SELECT value FROM crm_plugin_setting WHERE plugin_id = 'chores' AND name = 'apiKey'", r => r.GetString(0));
        Assert.DoesNotContain("SECRET-42", Assert.Single(stored), StringComparison.Ordinal);
        Assert.Contains("key=sk-live-SECRET-42", (await client.QueryAsync(Described))["choreSettings"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_admin_can_neither_read_nor_set_settings()
    {
        using var admin = await fixture.TenantWithAsync("chores");
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "user", ["user"], null, null, CancellationToken.None);
        using var user = fixture.Host.Client(admin.TenantId, key.Key);

        var read = await user.PostAsync(Read);
        var set = (await user.QueryAsync(Set, new { values = new[] { new { name = "greeting", value = "Hijacked" } } }))["setPluginSettings"]!;

        Assert.Equal("FORBIDDEN", read.FirstErrorCode);
        Assert.Equal("FORBIDDEN", set["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.StartsWith("Hello ", (await admin.QueryAsync(Described))["choreSettings"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_of_a_plugin_that_is_not_installed_are_not_found()
    {
        using var client = await fixture.TenantWithAsync("chores");

        var answer = await client.PostAsync("{ pluginSettings(plugin: \"nope\") { name } }");

        Assert.Equal("NOT_FOUND", answer.FirstErrorCode);
    }
}
