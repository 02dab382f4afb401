using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Merging.MergeFixtures;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Merging;

/// <summary>A merge of the sales module's accounts moves the module's records and a tenant's custom lookup on them.</summary>
[Collection(ModuleHostGroup.Name)]
public sealed class SalesMergeTests(ModuleHostFixture fixture)
{
    [Fact]
    public async Task Merging_accounts_moves_the_plugins_contacts_leads_and_activities_and_a_custom_lookup_then_undo_moves_them_back()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"sales\") { userErrors { code message } } }");
        // A tenant's own lookup on a plugin entity.
        await client.MutateAsync(AddField, new { entity = "contact", input = Field("introducedBy", "LOOKUP", new { lookupEntity = "account", inverseName = "introducedContacts" }) });
        var crm = new MergeFixtures(client);
        var master = await crm.CreateAsync("account", new { name = "上海星辰科技有限公司" });
        var duplicate = await crm.CreateAsync("account", new { name = "星辰科技" });
        var contact = await crm.CreateAsync("contact", new { name = "陈静", accountId = duplicate, introducedById = duplicate });
        var lead = await crm.CreateAsync("lead", new { name = "李雷", accountId = duplicate });
        var activity = await crm.CreateAsync("activity", new { subject = "拜访", accountId = duplicate });

        var merged = (await client.QueryAsync(
            "mutation($input: MergeRecordsInput!) { mergeRecords(input: $input) { mergeId master { id } userErrors { field code message } } }",
            new { input = new { entity = "account", masterId = master, duplicates = new[] { new { id = duplicate } } } }))["mergeRecords"]!;

        Assert.Null(Code(merged));
        Assert.Equal(master, (await crm.ReadAsync("contact", contact, "accountId"))!["accountId"]!.GetValue<string>());
        Assert.Equal(master, (await crm.ReadAsync("contact", contact, "introducedById"))!["introducedById"]!.GetValue<string>());
        Assert.Equal(master, (await crm.ReadAsync("lead", lead, "accountId"))!["accountId"]!.GetValue<string>());
        Assert.Equal(master, (await crm.ReadAsync("activity", activity, "accountId"))!["accountId"]!.GetValue<string>());
        Assert.Equal(master, (await crm.ReadAsync("account", duplicate, "mergedInto"))!["mergedInto"]!.GetValue<string>());

        var undone = (await client.QueryAsync("mutation($id: ID!) { undoMerge(mergeId: $id) { conflicts { recordId } userErrors { code message } } }",
            new { id = merged["mergeId"]!.GetValue<string>() }))["undoMerge"]!;

        Assert.Null(Code(undone));
        Assert.Empty(undone["conflicts"]!.AsArray());
        Assert.Equal(duplicate, (await crm.ReadAsync("contact", contact, "accountId"))!["accountId"]!.GetValue<string>());
        Assert.Equal(duplicate, (await crm.ReadAsync("contact", contact, "introducedById"))!["introducedById"]!.GetValue<string>());
        Assert.Equal(duplicate, (await crm.ReadAsync("lead", lead, "accountId"))!["accountId"]!.GetValue<string>());
        Assert.Null((await crm.ReadAsync("account", duplicate, "deletedAt"))!["deletedAt"]);
    }
}
