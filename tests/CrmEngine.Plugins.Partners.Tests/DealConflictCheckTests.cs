using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// <c>checkDealConflicts</c>: the conflict check alone, as a portal's registration form asks it while the
/// partner types. It finds what a submission would find, writes nothing, and names only records the
/// caller may read.
/// </summary>
[Collection(PartnersHostGroup.Name)]
public sealed class DealConflictCheckTests(PartnersHost fixture)
{
    public const string Check = """
        query($p: ID!, $n: String, $e: String, $t: String) {
          checkDealConflicts(partnerId: $p, customerName: $n, email: $e, phone: $t) { kind reasons matchedName recordId }
        }
        """;

    private static JsonArray Matches(JsonNode data) => data["checkDealConflicts"]!.AsArray();

    [Fact]
    public async Task Checking_a_claim_finds_what_submitting_it_finds_and_writes_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var (first, second) = (await tenant.PartnerAsync("华东智联"), await tenant.PartnerAsync("Blue Ocean Systems Ltd."));
        var account = await tenant.Admin.CreateAsync("Account", new { name = "Acme Robotics (Suzhou) Co., Ltd." });
        await tenant.Admin.CreateAsync("Contact", new { name = "Li Na", accountId = account.Id(), email = "li.na@acmerobotics.cn", phone = "0512-6688 1234" });
        var lead = await tenant.Admin.CreateAsync("Lead", new { name = "张伟", company = "ＡＣＭＥ　ＲＯＢＯＴＩＣＳ　ＩＮＣ．", source = "webForm" });
        await tenant.Admin.CreateAsync("Lead", new { name = "Old", company = "Acme Robotics", source = "webForm", status = "unqualified" });
        var earlier = await tenant.Admin.RunAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(second, "苏州艾克米机器人", phone: "+86 512 6688 1234"));

        // The earlier registration met the account (through its contact's phone): one dealConflict so far.
        Assert.Equal(1, await tenant.CountAsync("dealConflicts"));

        var matches = Matches(await tenant.Admin.QueryAsync(Check, new { p = first, n = "acme robotics gmbh", e = "buyer@acmerobotics.cn", t = "0512-66881234" }));

        Assert.Equal(["account", "lead", "registration"], matches.Select(m => m!["kind"].Str()));
        Assert.Equal(["companyName", "emailDomain", "phone"], matches[0]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal(("Acme Robotics (Suzhou) Co., Ltd.", account.Id()), (matches[0]!["matchedName"].Str(), matches[0]!["recordId"].Str()));
        Assert.Equal(["companyName"], matches[1]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal(lead.Id(), matches[1]!["recordId"].Str());
        Assert.Equal(["phone"], matches[2]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal(("苏州艾克米机器人", earlier.Id()), (matches[2]!["matchedName"].Str(), matches[2]!["recordId"].Str()));
        Assert.Equal(1, await tenant.CountAsync("dealRegistrations"));
        Assert.Equal(1, await tenant.CountAsync("dealConflicts"));

        // The second partner's own registration is no conflict for it; a name alone that matches nothing finds nothing.
        Assert.Equal(["account", "lead"], Matches(await tenant.Admin.QueryAsync(Check, new { p = second, n = "acme robotics gmbh", t = "0512-66881234" })).Select(m => m!["kind"].Str()));
        Assert.Empty(Matches(await tenant.Admin.QueryAsync(Check, new { p = first, n = "宁波远航物流有限公司" })));

        var submitted = await tenant.Admin.RunAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(first, "acme robotics gmbh", "buyer@acmerobotics.cn", "0512-66881234"));
        Assert.Equal(3, submitted["conflictCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Partner_staff_see_names_only_of_records_in_their_reach()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.PortalAsync();
        var (east, south) = (await tenant.PartnerAsync("华东智联信息技术有限公司"), await tenant.PartnerAsync("南方渠道科技"));
        await tenant.Admin.CreateAsync("Account", new { name = "深圳市腾达科技有限公司", email = "info@tengda.com.cn" });
        await tenant.Admin.RunAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(south, "上海星辰科技有限公司", "buyer@xingchen.cn"));
        var own = (await tenant.Admin.RunAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(east, "北京云帆网络科技有限公司"))).Id();
        await tenant.Admin.RunAsync(DealRegistrationTests.Approve, new { id = own, c = (string?)null });
        var opportunity = (await tenant.Admin.RunAsync("mutation($id: ID!) { convertDealRegistration(id: $id) { result { opportunity { id account { id } } } userErrors { field code message } } }", new { id = own }))["opportunity"]!;
        var staff = await tenant.PartnerStaffAsync("liu@zhilian.com.cn", east);

        // The internal account and the other partner's registration: what kind, and why, but not whose.
        var hidden = Matches(await staff.QueryAsync(Check, new { p = east, n = "腾达科技（深圳）股份有限公司", e = "wang@xingchen.cn" }));
        Assert.Equal(["account", "registration"], hidden.Select(m => m!["kind"].Str()));
        Assert.Equal(["companyName"], hidden[0]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal(["emailDomain"], hidden[1]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.All(hidden, m => Assert.Null(m!["matchedName"]));
        Assert.All(hidden, m => Assert.Null(m!["recordId"]));

        // The account and opportunity the partner brought are its own to read.
        var mine = Matches(await staff.QueryAsync(Check, new { p = east, n = "云帆网络科技" }));
        Assert.Equal(["account", "opportunity"], mine.Select(m => m!["kind"].Str()));
        Assert.Equal((opportunity["account"]!.Id(), "北京云帆网络科技有限公司"), (mine[0]!["recordId"].Str(), mine[0]!["matchedName"].Str()));
        Assert.Equal(opportunity.Id(), mine[1]!["recordId"].Str());

        // Another partner's id is no partner at all to its staff.
        Assert.Equal(["NOT_FOUND"], (await staff.PostAsync(Check, new { p = south, n = "腾达科技" })).ErrorCodes);
    }

    [Fact]
    public async Task A_check_without_a_name_mail_or_phone_or_for_an_inactive_partner_is_refused()
    {
        var tenant = await fixture.TenantAsync();
        var (partner, suspended, gone) = (await tenant.PartnerAsync("华东智联"), await tenant.PartnerAsync("停牌伙伴", status: "suspended"), await tenant.PartnerAsync("已删除伙伴"));
        await tenant.Admin.MutateAsync("mutation($id: ID!) { deletePartner(id: $id) { userErrors { code message } } }", new { id = gone });

        Assert.Equal(["INVALID_INPUT"], (await tenant.Admin.PostAsync(Check, new { p = partner, n = "  " })).ErrorCodes);
        Assert.Equal(["PARTNER_INACTIVE"], (await tenant.Admin.PostAsync(Check, new { p = suspended, n = "腾达科技" })).ErrorCodes);
        Assert.Equal(["NOT_FOUND"], (await tenant.Admin.PostAsync(Check, new { p = gone, n = "腾达科技" })).ErrorCodes);

        // A bare legal form or a public mailbox names nobody: nothing to match, so nothing matches.
        Assert.Empty(Matches(await tenant.Admin.QueryAsync(Check, new { p = partner, n = "股份有限公司", e = "boss@qq.com" })));
    }
}
