using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// The match keys a conflict check looks records up by are stored on the records (indexed), so they
/// must follow every change of what they are computed from, and records written before the partners
/// module was enabled must have them too.
/// </summary>
[Collection(PartnersHostGroup.Name)]
public sealed class StoredMatchKeyTests(PartnersHost fixture)
{
    private const string Keys = "dealMatchName dealMatchDomain dealMatchPhone";

    private static List<string?> Kinds(JsonNode data) => data["checkDealConflicts"]!.AsArray().Select(m => m!["kind"].Str()).ToList<string?>();

    private static Task<JsonNode> CheckAsync(PartnersTenant tenant, string partner, string? name = null, string? email = null, string? phone = null) =>
        tenant.Admin.QueryAsync(DealConflictCheckTests.Check, new { p = partner, n = name, e = email, t = phone });

    [Fact]
    public async Task A_customer_renamed_later_is_found_under_its_new_name_and_no_longer_under_its_old_one()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var account = await tenant.Admin.CreateAsync("Account", new { name = "上海星辰科技有限公司", email = "info@xingchen.com.cn", phone = "021-6234 5678" });
        var lead = await tenant.Admin.CreateAsync("Lead", new { name = "张伟", company = "Bluewave Logistics Ltd", email = "zhang.wei@bluewave.com", source = "webForm" });

        await tenant.Admin.UpdateAsync("Account", account.Id(), new { name = "深圳市腾达网络科技股份有限公司", email = "sales@tengda-net.cn", phone = "+86 755 8888 1234" });
        await tenant.Admin.UpdateAsync("Lead", lead.Id(), new { company = "Silverstone Robotics GmbH", phone = "138 0013 8000" });

        var stored = (await tenant.Admin.QueryAsync($"query($a: ID!, $l: ID!) {{ account(id: $a) {{ {Keys} }} lead(id: $l) {{ {Keys} }} }}", new { a = account.Id(), l = lead.Id() }));
        Assert.Equal(("腾达网络科技", "tengda-net.cn", "075588881234"), (stored["account"]!["dealMatchName"].Str(), stored["account"]!["dealMatchDomain"].Str(), stored["account"]!["dealMatchPhone"].Str()));
        Assert.Equal(("silverstonerobotics", "bluewave.com", "13800138000"), (stored["lead"]!["dealMatchName"].Str(), stored["lead"]!["dealMatchDomain"].Str(), stored["lead"]!["dealMatchPhone"].Str()));

        // Under the new names, numbers and mailbox: found. Under the old ones: nothing (the lead keeps its mailbox).
        Assert.Equal(["account"], Kinds(await CheckAsync(tenant, partner, "腾达网络科技（深圳）有限公司")));
        Assert.Equal(["account"], Kinds(await CheckAsync(tenant, partner, email: "buyer@tengda-net.cn")));
        Assert.Equal(["account"], Kinds(await CheckAsync(tenant, partner, phone: "0755-88881234")));
        Assert.Equal(["lead"], Kinds(await CheckAsync(tenant, partner, "SILVERSTONE ROBOTICS, INC.")));
        Assert.Equal(["lead"], Kinds(await CheckAsync(tenant, partner, phone: "+86 138-0013-8000")));
        Assert.Empty(Kinds(await CheckAsync(tenant, partner, "星辰科技股份有限公司", "buyer@xingchen.com.cn", "021-62345678")));
        Assert.Empty(Kinds(await CheckAsync(tenant, partner, "Bluewave Logistics Inc")));
        Assert.Equal(["lead"], Kinds(await CheckAsync(tenant, partner, email: "ops@bluewave.com")));
    }

    [Fact]
    public async Task Customers_a_tenant_held_before_it_enabled_partners_are_conflicts_once_it_does()
    {
        var crm = await fixture.Host.CreateTenantAsync("sales");
        var account = await crm.Admin.CreateAsync("Account", new { name = "杭州云海医疗器械有限公司", website = "https://www.yunhai-med.cn" });
        await crm.Admin.CreateAsync("Contact", new { name = "李娜", accountId = account.Id(), phone = "0571-8765 4321" });
        await crm.Admin.CreateAsync("Lead", new { name = "Tom", company = "Northgate Analytics Corp", email = "tom@northgate.io", source = "webForm" });

        await crm.Admin.MutateAsync("mutation { enablePlugin(id: \"partners\") { userErrors { field code message } } }");
        var tenant = new PartnersTenant(crm);
        var partner = await tenant.PartnerAsync("华东智联");

        var stored = await tenant.Admin.QueryAsync($"query($a: ID!) {{ account(id: $a) {{ {Keys} }} }}", new { a = account.Id() });
        Assert.Equal(("云海医疗器械", "yunhai-med.cn"), (stored["account"]!["dealMatchName"].Str(), stored["account"]!["dealMatchDomain"].Str()));
        var matches = (await CheckAsync(tenant, partner, "云海医疗器械（杭州）股份有限公司", "buyer@yunhai-med.cn", "+86 571 8765 4321"))["checkDealConflicts"]!.AsArray();
        Assert.Equal(["account"], matches.Select(m => m!["kind"].Str()));
        Assert.Equal(["companyName", "emailDomain", "phone"], matches[0]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal(["lead"], Kinds(await CheckAsync(tenant, partner, "NORTHGATE ANALYTICS LTD", "buyer@northgate.io")));
    }
}
