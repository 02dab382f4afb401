using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// A tenant on notes 1.0.0 meets hosts with notes 2.0.0, which renamed 'body' to 'text': the
/// plugin's upgrade moves the data once per tenant (in batches, with checkpoints), the old field is
/// retired, and the tenant records the new version.
/// </summary>
public sealed class PluginUpgradeTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.Create());
    private readonly TestPluginFolder _version1 = new("TestPlugins.NotesV1");
    private readonly TestPluginFolder _version2 = new("TestPlugins.NotesV2");

    public void Dispose()
    {
        _hosts.Dispose();
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
        Assert.Equal(["1.0.0>2.0.0 moved 5"], Messages(data));
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

        Stop(upgraded);
        using var client = Host(_version1).Client(tenant, key);

        var payload = (await client.QueryAsync("mutation { createNote(input: { title: \"late\" }) { note { id } userErrors { code message } } }"))["createNote"]!;

        Assert.Equal("PLUGIN_OUTDATED", payload["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Null(payload["note"]);
        var data = await client.QueryAsync("{ notes { totalCount nodes { text } } plugins { id enabledVersion } }");
        Assert.Equal(["body 1"], data["notes"]!["nodes"]!.AsArray().Select(n => n!["text"]!.GetValue<string>()));
        Assert.Equal("2.0.0", data["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "notes")!["enabledVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_entity_the_new_version_no_longer_declares_is_retired_with_its_records_kept()
    {
        var (tenant, key) = await TenantOnVersion1Async(notes: 1);

        var host = Host(_version2);
        using var client = host.Client(tenant, key);
        await UpgradedAsync(client);

        var data = await client.QueryAsync("{ entity(name: \"noteDraft\") { state } entities { name } }");
        Assert.Equal("REMOVED", data["entity"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain("noteDraft", data["entities"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await client.PostAsync("{ noteDrafts { totalCount } }")).FirstErrorCode);
        var store = await host.Services.GetRequiredService<TenantRegistry>().GetAsync(tenant, CancellationToken.None);
        Assert.Equal(1L, Convert.ToInt64(await StoreInspector.ScalarAsync(store.ConnectionString, "SELECT COUNT(*) FROM note_draft"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_upgrade_stopped_half_way_holds_the_plugin_back_on_every_host_until_the_next_start_resumes_it_from_its_checkpoint()
    {
        // Notes n1..n5; the upgrade moves two a batch and stops at n3, after saving its checkpoint past n2.
        var (tenant, key) = await TenantOnVersion1Async(notes: 5, body: i => i == 3 ? "crash once" : $"body {i}");

        var stopped = Host(_version2);
        using (var client = stopped.Client(tenant, key))
        {
            await UntilAsync(client, "{ noteUpgrades { nodes { message } } }", data => Messages(data).Contains("crashed"));

            var data = await client.QueryAsync("{ plugins { id enabledVersion upgradingTo } notes(orderBy: [{ title: ASC }]) { nodes { text } } }");
            var notes = data["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "notes")!;
            Assert.Equal(("1.0.0", "2.0.0"), (notes["enabledVersion"]!.GetValue<string>(), notes["upgradingTo"]!.GetValue<string>()));
            Assert.Equal(["body 1", "body 2", null, null, null], data["notes"]!["nodes"]!.AsArray().Select(n => n!["text"]?.GetValue<string>()));
            Assert.Equal("PLUGIN_UPGRADING", await CreateNoteErrorAsync(client));
            Assert.Equal("PLUGIN_UPGRADING", (await client.PostAsync("{ noteCount }")).FirstErrorCode);
        }

        Stop(stopped);
        var old = Host(_version1);
        using (var client = old.Client(tenant, key))
        {
            // The old version doesn't write either: its writes could land behind the upgrade's checkpoint and be lost.
            Assert.Equal("PLUGIN_UPGRADING", await CreateNoteErrorAsync(client));
        }

        Stop(old);
        using var resumed = Host(_version2).Client(tenant, key);
        await UpgradedAsync(resumed);

        var after = await resumed.QueryAsync("{ plugins { id upgradingTo } notes(orderBy: [{ title: ASC }]) { nodes { text } } noteUpgrades(orderBy: [{ message: ASC }]) { nodes { message } } noteCount }");
        Assert.Equal(["1.0.0>2.0.0 moved 3", "crashed"], Messages(after));
        Assert.Equal(["body 1", "body 2", "crash once", "body 4", "body 5"], after["notes"]!["nodes"]!.AsArray().Select(n => n!["text"]!.GetValue<string>()));
        Assert.Null(after["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "notes")!["upgradingTo"]);
        Assert.Equal(5, after["noteCount"]!.GetValue<int>());
        Assert.Null(await CreateNoteErrorAsync(resumed));
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

    /// <summary>A tenant with notes 1.0.0 enabled, <paramref name="notes"/> notes and a draft, made on a host that is then stopped.</summary>
    private async Task<(string Tenant, string Key)> TenantOnVersion1Async(int notes, Func<int, string>? body = null)
    {
        var old = Host(_version1);
        using var client = await old.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"notes\") { userErrors { code } } }");
        for (var i = 1; i <= notes; i++)
        {
            await client.MutateAsync("mutation($title: String!, $body: String!) { createNote(input: { title: $title, body: $body }) { userErrors { code } } }", new { title = $"n{i}", body = body?.Invoke(i) ?? $"body {i}" });
        }

        await client.MutateAsync("mutation { createNoteDraft(input: { title: \"draft\" }) { userErrors { code } } }");
        Stop(old);
        return (client.TenantId, client.Key!);
    }

    private void Stop(CrmHost host) => _hosts.Stop(host);

    /// <summary>The code createNote is refused with, or null when it succeeds.</summary>
    private static async Task<string?> CreateNoteErrorAsync(TenantClient client)
    {
        var payload = (await client.QueryAsync("mutation { createNote(input: { title: \"late\" }) { note { id } userErrors { code } } }"))["createNote"]!;
        return payload["userErrors"]!.AsArray().FirstOrDefault()?["code"]!.GetValue<string>();
    }

    private static List<string> Messages(JsonNode data) => data["noteUpgrades"]!["nodes"]!.AsArray().Select(n => n!["message"]!.GetValue<string>()).ToList();

    /// <summary>Polls until <paramref name="done"/> holds of a query that may not exist in the schema yet (the upgrade adds its entities).</summary>
    private static async Task UntilAsync(TenantClient client, string query, Func<JsonNode, bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await client.PostAsync(query)).Data is not { } data || !done(data))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Still not so after 30 s: {query}");
            await Task.Delay(50);
        }
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
    private CrmHost Host(TestPluginFolder plugins) =>
        _hosts.Start(new Dictionary<string, string?> { ["Crm:PluginDirectory"] = plugins.Directory, ["Crm:JobPollInterval"] = "01:00:00" });
}
