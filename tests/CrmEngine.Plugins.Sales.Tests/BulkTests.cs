namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>The bulk mutations on a plugin's entity: the module's hooks run for each item, as for createLead.</summary>
[Collection(SalesHostGroup.Name)]
public sealed class BulkTests(SalesHost fixture)
{
    [Fact]
    public async Task Leads_created_in_bulk_pass_the_modules_hooks_one_by_one()
    {
        var tenant = await fixture.TenantAsync();
        var payload = await tenant.Admin.MutateAsync(
            "mutation($i: [CreateLeadInput!]!) { createManyLeads(inputs: $i) { results { index lead { id phoneKey duplicateOf { id } } userErrors { field code } } userErrors { code } } }",
            new
            {
                i = new object[]
                {
                    new { name = "陈静", company = "上海星辰科技有限公司", email = "chen.jing@xingchen.cn", phone = "+86 138-0013-8000" },
                    new { name = "王磊", status = "converted" },
                    new { name = "陈静", email = "CHEN.JING@xingchen.cn", phone = "138 0013 8000" },
                },
            });

        var results = payload["results"]!.AsArray();
        Assert.Equal(["13800138000", "13800138000"], new[] { results[0], results[2] }.Select(r => r!["lead"]!["phoneKey"].Str()));
        Assert.Equal(("status", "REJECTED"), (results[1]!["userErrors"]![0]!["field"].Str(), results[1]!["userErrors"]![0]!["code"].Str()));
        // The third item's hook found the lead the first one wrote, in the same request.
        Assert.Equal(results[0]!["lead"]!.Id(), results[2]!["lead"]!["duplicateOf"]!.Id());
        Assert.Equal(2, await tenant.CountAsync("leads"));
    }
}
