using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// A plugin's hooks and operations refuse with their own codes (declared in plugin.json) and fields,
/// and the client gets exactly those in userErrors, with nothing written. The partners test plugin
/// declares PARTNER_INACTIVE and PARTNER_LIMIT; codes a plugin may not use become PLUGIN_ERROR and
/// are logged.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class TypedRefusalTests(PluginHostFixture fixture)
{
    private const string CreateDeal = "mutation($title: String!, $partner: ID) { createDeal(input: { title: $title, partnerId: $partner }) { deal { id } userErrors { field code message } } }";
    private const string RegisterDeal = "mutation($title: String!, $partner: ID!) { registerDeal(partnerId: $partner, title: $title) { result { id } userErrors { field code message } } }";

    [Fact]
    public async Task A_hook_refusing_with_its_declared_code_gives_the_client_exactly_that_code_field_and_message_and_writes_nothing()
    {
        using var client = await fixture.TenantWithAsync("partners");
        var partner = await PartnerAsync(client, "Acme", active: false);

        var created = (await client.QueryAsync(CreateDeal, new { title = "Big deal", partner }))["createDeal"]!;

        Assert.Null(created["deal"]);
        Assert.Equal(("partner", "PARTNER_INACTIVE", "Partner 'Acme' is not active."), Single(created));
        Assert.Equal(0, await DealsAsync(client));
    }

    [Fact]
    public async Task An_update_a_hook_refuses_with_its_code_leaves_the_record_as_it_was()
    {
        using var client = await fixture.TenantWithAsync("partners");
        var active = await PartnerAsync(client, "Active", active: true);
        var inactive = await PartnerAsync(client, "Dormant", active: false);
        var deal = (await client.MutateAsync(CreateDeal, new { title = "Deal", partner = active }))["deal"]!["id"]!.GetValue<string>();

        var updated = (await client.QueryAsync("mutation($id: ID!, $partner: ID) { updateDeal(id: $id, input: { partnerId: $partner }) { userErrors { field code message } } }", new { id = deal, partner = inactive }))["updateDeal"]!;

        Assert.Equal(("partner", "PARTNER_INACTIVE", "Partner 'Dormant' is not active."), Single(updated));
        var stored = (await client.QueryAsync("query($id: ID!) { deal(id: $id) { partner { name } version } }", new { id = deal }))["deal"]!;
        Assert.Equal(("Active", 1L), (stored["partner"]!["name"]!.GetValue<string>(), stored["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task An_operation_refusing_with_its_declared_code_gives_the_client_exactly_that_code_and_argument_and_writes_nothing()
    {
        using var client = await fixture.TenantWithAsync("partners");
        var partner = await PartnerAsync(client, "Busy", active: true);
        await client.MutateAsync(RegisterDeal, new { title = "One", partner });
        await client.MutateAsync(RegisterDeal, new { title = "Two", partner });

        var third = (await client.QueryAsync(RegisterDeal, new { title = "Three", partner }))["registerDeal"]!;

        Assert.Null(third["result"]);
        Assert.Equal(("partnerId", "PARTNER_LIMIT", "The partner already has two deals."), Single(third));
        Assert.Equal(2, await DealsAsync(client));
    }

    [Fact]
    public async Task An_operation_passes_on_a_hooks_typed_refusal_of_a_write_it_makes()
    {
        using var client = await fixture.TenantWithAsync("partners");
        var partner = await PartnerAsync(client, "Acme", active: false);

        var registered = (await client.QueryAsync(RegisterDeal, new { title = "Big deal", partner }))["registerDeal"]!;

        Assert.Equal(("partnerId", "PARTNER_INACTIVE", "Partner 'Acme' is not active."), Single(registered));
        Assert.Equal(0, await DealsAsync(client));
    }

    [Fact]
    public async Task A_query_operation_refusing_with_an_engine_code_is_a_graphql_error_with_that_code()
    {
        using var client = await fixture.TenantWithAsync("partners");
        var partner = await PartnerAsync(client, "Gone", active: true);
        await client.MutateAsync("mutation($id: ID!) { deletePartner(id: $id) { userErrors { code } } }", new { id = partner });

        var response = await client.PostAsync("query($id: ID!) { partnerCard(id: $id) { title } }", new { id = partner });

        Assert.Equal(("NOT_FOUND", "There is no such partner."), (response.FirstErrorCode, response.Errors![0]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_hook_may_refuse_with_an_engine_code_which_means_what_the_engine_means()
    {
        using var client = await fixture.TenantWithAsync("partners");

        var created = (await client.QueryAsync(CreateDeal, new { title = "engine code" }))["createDeal"]!;

        Assert.Equal(("title", "INVALID_VALUE", "Deal titles may not say that."), Single(created));
        Assert.Equal(0, await DealsAsync(client));
    }

    [Theory]
    [InlineData("undeclared code", "It refused with error code 'PARTNER_SLEEPING', which its plugin.json does not declare in 'errorCodes'.")]
    [InlineData("ill-formed code", "It refused with error code 'partner sleeping', which is not UPPER_SNAKE_CASE.")]
    public async Task A_refusal_with_a_code_the_plugin_may_not_use_is_a_logged_plugin_error_and_writes_nothing(string title, string logged)
    {
        using var client = await fixture.TenantWithAsync("partners");

        var error = (await client.QueryAsync(CreateDeal, new { title }))["createDeal"]!["userErrors"]![0]!;

        Assert.Equal("PLUGIN_ERROR", error["code"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.StartsWith("Plugin 'partners' failed in its validator (DealPartnerIsActive) for this deal create. Nothing was written. The error was logged with correlation id ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("asleep", message, StringComparison.Ordinal);
        var entry = Assert.Single(fixture.Logs.With("TenantId", client.TenantId), e => e.Exception?.Message == logged);
        Assert.Equal((LogLevel.Error, "partners"), (entry.Level, entry.Properties["PluginId"]));
        Assert.Contains(entry.Properties["CorrelationId"]!.ToString()!, message, StringComparison.Ordinal);
        Assert.Equal(0, await DealsAsync(client));
    }

    [Fact]
    public async Task A_plugin_built_for_SDK_0_1_declares_no_codes_so_its_own_still_pass_and_the_host_warns_once()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        const string Pair = "mutation { createTaskPair(title: \"refuse\") { result { title } userErrors { field code message } } }";

        var first = (await client.QueryAsync(Pair))["createTaskPair"]!;
        await client.QueryAsync(Pair);

        Assert.Equal(("title", "PAIR_REFUSED", "The second task was refused."), Single(first));
        var warning = Assert.Single(fixture.Logs.Entries, e => e.Level == LogLevel.Warning && Equals(e.Properties.GetValueOrDefault("Code"), "PAIR_REFUSED"));
        Assert.Equal("tasks", warning.Properties["PluginId"]);
    }

    [Fact]
    public async Task A_plugin_declaring_an_engine_code_as_its_own_is_refused_at_load_naming_the_code()
    {
        using var client = await fixture.Host.NewTenantAsync();

        var plugin = (await client.QueryAsync("{ plugins { id status error } }"))["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "claims-rejected")!;

        Assert.Equal("REFUSED", plugin["status"]!.GetValue<string>());
        Assert.StartsWith("Folder 'claims-rejected': plugin.json of 'claims-rejected': error code 'REJECTED' is one of the engine's codes;", plugin["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<string> PartnerAsync(TenantClient client, string name, bool active) =>
        (await client.MutateAsync("mutation($name: String!, $active: Boolean) { createPartner(input: { name: $name, active: $active }) { partner { id } userErrors { code } } }", new { name, active }))["partner"]!["id"]!.GetValue<string>();

    private static async Task<int> DealsAsync(TenantClient client) =>
        (await client.QueryAsync("{ deals { totalCount } }"))["deals"]!["totalCount"]!.GetValue<int>();

    private static (string?, string, string) Single(JsonNode payload)
    {
        var error = Assert.Single(payload["userErrors"]!.AsArray())!;
        return (error["field"]?.GetValue<string>(), error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>());
    }
}
