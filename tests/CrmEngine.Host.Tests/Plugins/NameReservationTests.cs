using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// A plugin's entity and operation names are reserved to it on every tenant, enabled or not: another
/// plugin or a tenant's own entity that would take one is refused with the owner named, and nothing changes.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class NameReservationTests(PluginHostFixture fixture)
{
    private static async Task<(int Version, string Entities)> MetadataAsync(TenantClient client)
    {
        var data = await client.QueryAsync("{ metadataVersion entities { name } }");
        return (data["metadataVersion"]!.GetValue<int>(), string.Join(',', data["entities"]!.AsArray().Select(e => e!["name"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("task", "tasks")]
    [InlineData("taskSummary", "tasks")]
    [InlineData("jsonNewVersion", "json-new")]
    public async Task A_tenant_can_not_define_an_entity_whose_api_takes_an_installed_plugins_name(string name, string owner)
    {
        using var client = await fixture.Host.NewTenantAsync();
        var before = await MetadataAsync(client);

        var payload = (await client.QueryAsync(Schemas.CreateEntity, new { input = new { name, labels = Schemas.Labels("Mine", "我的") } }))["createEntity"]!;

        var error = payload["userErrors"]![0]!;
        Assert.Equal(("RESERVED_NAME", "name"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains($"plugin '{owner}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await MetadataAsync(client));
    }

    [Fact]
    [Trait(StoreTraits.Name, StoreTraits.Independent)]
    public async Task A_plugin_declaring_an_entity_another_plugin_owns_is_refused_at_load_naming_the_owner()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var twin = (await client.QueryAsync("{ plugins { id status error } }"))["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "tasks-twin")!;
        Assert.Equal("REFUSED", twin["status"]!.GetValue<string>());
        Assert.Contains("entity 'task' of plugin 'tasks'", twin["error"]!.GetValue<string>(), StringComparison.Ordinal);

        var enable = (await client.QueryAsync("mutation { enablePlugin(id: \"tasks-twin\") { userErrors { code message } } }"))["enablePlugin"]!;
        Assert.Equal("PLUGIN_REFUSED", enable["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("plugin 'tasks'", enable["userErrors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_adding_an_operation_another_plugin_owns_is_refused_at_enable_naming_the_owner_and_nothing_changes()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var before = await MetadataAsync(client);

        var enable = (await client.QueryAsync("mutation { enablePlugin(id: \"json-twin\") { plugin { enabled } metadataVersion userErrors { field code message } } }"))["enablePlugin"]!;

        var error = enable["userErrors"]![0]!;
        Assert.Equal(("RESERVED_NAME", "id"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains("'jsonNewVersion', which plugin 'json-new' reserves", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(enable["plugin"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(before, await MetadataAsync(client));

        await client.MutateAsync("mutation { enablePlugin(id: \"json-new\") { userErrors { code } } }");
        Assert.StartsWith("13.0.0.0", (await client.QueryAsync("{ jsonNewVersion }"))["jsonNewVersion"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_whose_entity_a_tenant_defined_before_it_was_installed_is_refused_at_enable_naming_the_tenants_entity()
    {
        using var store = TestStore.Create();
        string tenant, key;
        using (var bare = new CrmHost(store))
        {
            using var early = await bare.NewTenantAsync();
            await early.MutateAsync(Schemas.CreateEntity, new { input = new { name = "task", labels = Schemas.Labels("My task", "我的任务") } });
            (tenant, key) = (early.TenantId, early.Key!);
        }

        using var host = new CrmHost(store, new Dictionary<string, string?> { ["Crm:PluginDirectory"] = fixture.PluginDirectory, ["Crm:JobPollInterval"] = "01:00:00" });
        using var client = host.Client(tenant, key);
        var before = await MetadataAsync(client);

        var error = (await client.QueryAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { field code message } } }"))["enablePlugin"]!["userErrors"]![0]!;

        Assert.Equal(("NAME_TAKEN", "entity"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains("already has a custom entity", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await MetadataAsync(client));
        Assert.Equal("custom", (await client.QueryAsync("{ entity(name: \"task\") { source } }"))["entity"]!["source"]!.GetValue<string>());
    }
}

/// <summary>Our own module reserves its names as any plugin does: on a host with sales installed, no tenant defines a 'lead' of its own.</summary>
[Collection(ModuleHostGroup.Name)]
public sealed class ModuleNameReservationTests(ModuleHostFixture fixture)
{
    [Fact]
    public async Task The_sales_module_reserves_its_entity_names_on_tenants_that_do_not_enable_it()
    {
        using var client = await fixture.Host.NewTenantAsync();

        var error = (await client.QueryAsync(Schemas.CreateEntity, new { input = new { name = "lead", labels = Schemas.Labels("Lead", "线索") } }))["createEntity"]!["userErrors"]![0]!;

        Assert.Equal("RESERVED_NAME", error["code"]!.GetValue<string>());
        Assert.Contains("plugin 'sales'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await client.QueryAsync("{ entity(name: \"lead\") { name } }"))["entity"]);
    }
}
