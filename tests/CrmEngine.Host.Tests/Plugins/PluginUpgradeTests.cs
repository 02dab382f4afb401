using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// A tenant on notes 1.0.0 meets hosts with notes 2.0.0, which renamed 'body' to 'text': the
/// plugin's upgrade moves the data once per tenant (in batches, with checkpoints), the old field is
/// retired, and the tenant records the new version.
/// </summary>
public sealed class PluginUpgradeTests : IDisposable
{
    private readonly TestStore _store = TestStore.Create();
    private readonly TestPluginFolder _version1 = new("TestPlugins.NotesV1");
    private readonly TestPluginFolder _version2 = new("TestPlugins.NotesV2");
    private readonly List<CrmHost> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _store.Dispose();
        _version1.Dispose();
        _version2.Dispose();
    }

    [Fact]
    public async Task A_new_plugin_version_moves_the_renamed_fields_data_once_and_retires_the_old_field()
    {
        var (tenant, key) = await TenantOnVersion1Async(notes: 5);

        var host = Host(_version2);
        using var client = host.Client(tenant, key);
        await UpgradedAsync(client);

        var data = await client.QueryAsync("{ notes(orderBy: [{ title: ASC }]) { nodes { title text } } noteUpgrades { nodes { message } } entity(name: \"note\") { fields { name } } }");
        Assert.Equal(Enumerable.Range(1, 5).Select(i => ($"n{i}", $"body {i}")), data["notes"]!["nodes"]!.AsArray().Select(n => (n!["title"]!.GetValue<string>(), n["text"]!.GetValue<string>())));
        Assert.Equal(["1.0.0>2.0.0"], data["noteUpgrades"]!["nodes"]!.AsArray().Select(n => n!["message"]!.GetValue<string>()));
        Assert.DoesNotContain("body", data["entity"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));

        var again = (await client.QueryAsync("mutation { enablePlugin(id: \"notes\") { plugin { enabledVersion } userErrors { code } } }"))["enablePlugin"]!;
        Assert.Equal("2.0.0", again["plugin"]!["enabledVersion"]!.GetValue<string>());
        Assert.Equal(1, (await client.QueryAsync("{ noteUpgrades { totalCount } }"))["noteUpgrades"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_host_still_on_the_old_version_refuses_writes_to_the_plugins_entities_of_an_upgraded_tenant_and_never_downgrades_it()
    {
        var (tenant, key) = await TenantOnVersion1Async(notes: 1);
        var upgraded = Host(_version2);
        using (var onNew = upgraded.Client(tenant, key))
        {
            await UpgradedAsync(onNew);
        }

        upgraded.Dispose();
        _hosts.Remove(upgraded);
        using var client = Host(_version1).Client(tenant, key);

        var payload = (await client.QueryAsync("mutation { createNote(input: { title: \"late\" }) { note { id } userErrors { code message } } }"))["createNote"]!;

        Assert.Equal("PLUGIN_OUTDATED", payload["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Null(payload["note"]);
        var data = await client.QueryAsync("{ notes { totalCount nodes { text } } plugins { id enabledVersion } }");
        Assert.Equal(["body 1"], data["notes"]!["nodes"]!.AsArray().Select(n => n!["text"]!.GetValue<string>()));
        Assert.Equal("2.0.0", data["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "notes")!["enabledVersion"]!.GetValue<string>());
    }

    [PostgresFact]
    [Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
    public async Task Two_hosts_starting_together_with_the_new_version_run_the_upgrade_once()
    {
        var (tenant, key) = await TenantOnVersion1Async(notes: 3);

        var hosts = new[] { Host(_version2), Host(_version2) };
        await Task.WhenAll(hosts.Select(h => Task.Run(() => h.Services)));
        using var first = hosts[0].Client(tenant, key);
        using var second = hosts[1].Client(tenant, key);
        await UpgradedAsync(first);
        await UpgradedAsync(second);

        Assert.Equal(1, (await second.QueryAsync("{ noteUpgrades { totalCount } }"))["noteUpgrades"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["body 1", "body 2", "body 3"], (await first.QueryAsync("{ notes(orderBy: [{ title: ASC }]) { nodes { text } } }"))["notes"]!["nodes"]!.AsArray().Select(n => n!["text"]!.GetValue<string>()));
    }

    /// <summary>A tenant with notes 1.0.0 enabled and <paramref name="notes"/> notes, made on a host that is then stopped.</summary>
    private async Task<(string Tenant, string Key)> TenantOnVersion1Async(int notes)
    {
        var old = Host(_version1);
        using var client = await old.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"notes\") { userErrors { code } } }");
        for (var i = 1; i <= notes; i++)
        {
            await client.MutateAsync("mutation($title: String!, $body: String!) { createNote(input: { title: $title, body: $body }) { userErrors { code } } }", new { title = $"n{i}", body = $"body {i}" });
        }

        old.Dispose();
        _hosts.Remove(old);
        return (client.TenantId, client.Key!);
    }

    /// <summary>Waits until the host's start-up upgrade has moved the tenant to 2.0.0.</summary>
    private static async Task UpgradedAsync(TenantClient client)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var notes = (await client.QueryAsync("{ plugins { id enabledVersion } }"))["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "notes")!;
            if (notes["enabledVersion"]?.GetValue<string>() == "2.0.0")
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The tenant was not upgraded to notes 2.0.0.");
            await Task.Delay(50);
        }
    }

    /// <summary>A host on this test's store with the plugins in <paramref name="plugins"/>.</summary>
    private CrmHost Host(TestPluginFolder plugins)
    {
        var host = new CrmHost(_store, new Dictionary<string, string?> { ["Crm:PluginDirectory"] = plugins.Directory, ["Crm:JobPollInterval"] = "01:00:00" });
        _hosts.Add(host);
        return host;
    }
}
