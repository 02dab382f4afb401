using CrmEngine.Sdk.Records;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// A plugin that returns its own result type puts record ids in it with the SDK's
/// <see cref="RecordIds.GlobalId"/>: the same id the API gives the record, which <c>node(id:)</c> resolves.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class GlobalIdHelperTests(PluginHostFixture fixture)
{
    [Fact]
    public async Task A_global_id_an_operation_returns_in_its_own_result_type_is_the_records_id_and_node_resolves_it()
    {
        using var client = await fixture.TenantWithAsync("partners");
        var id = (await client.MutateAsync("mutation { createPartner(input: { name: \"Acme\" }) { partner { id } userErrors { code } } }"))["partner"]!["id"]!.GetValue<string>();

        var card = (await client.QueryAsync("query($id: ID!) { partnerCard(id: $id) { partnerId title } }", new { id }))["partnerCard"]!;
        var partnerId = card["partnerId"]!.GetValue<string>();
        var node = (await client.QueryAsync("query($id: ID!) { node(id: $id) { __typename id ... on Partner { name } } }", new { id = partnerId }))["node"]!;

        Assert.Equal((id, "Partner Acme"), (partnerId, card["title"]!.GetValue<string>()));
        Assert.Equal(("Partner", id, "Acme"), (node["__typename"]!.GetValue<string>(), node["id"]!.GetValue<string>(), node["name"]!.GetValue<string>()));
    }
}
