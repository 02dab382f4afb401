using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>Functions plugins offer through the SDK are callable from tenant rules where the plugin is enabled.</summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginRuleFunctionTests(PluginHostFixture fixture)
{
    private const string SaveRule = "mutation($input: SaveRuleInput!) { saveRule(input: $input) { rule { name } userErrors { field code message } } }";

    [Fact]
    public async Task A_rule_can_call_a_function_its_tenants_plugin_offers()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(SaveRule, new
        {
            input = new
            {
                name = "labelPriority",
                entity = "task",
                triggers = new[] { "BEFORE_CREATE" },
                script = "record.title = record.title + ' [' + crm.plugins.tasks.priorityLabel(record.priority || 3) + ']';",
            },
        });

        var task = await client.MutateAsync("mutation { createTask(input: { title: \"Call\", priority: 1 }) { task { title } userErrors { code message } } }");
        Assert.Equal("Call [urgent]", task["task"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true, "present")]
    [InlineData(false, "absent")]
    public async Task Rules_see_a_plugins_functions_only_on_tenants_that_enable_it(bool enabled, string expected)
    {
        using var client = enabled ? await fixture.TenantWithAsync("tasks") : await fixture.Host.NewTenantAsync();
        await client.MutateAsync(Schemas.CreateEntity, new { input = new { name = "memo", labels = Schemas.Labels("Memo", "备忘"), fields = new[] { Schemas.Field("note", "TEXT") } } });
        await client.MutateAsync(SaveRule, new
        {
            input = new { name = "probe", entity = "memo", triggers = new[] { "BEFORE_CREATE" }, script = "record.note = (crm.plugins && crm.plugins.tasks && crm.plugins.tasks.priorityLabel) ? 'present' : 'absent';" },
        });

        var memo = await client.MutateAsync("mutation { createMemo(input: { note: \"?\" }) { memo { note } userErrors { code message } } }");
        Assert.Equal(expected, memo["memo"]!["note"]!.GetValue<string>());
    }
}
