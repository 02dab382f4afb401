using System.Globalization;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Deal registration (报备): submit, conflicts with their reasons, approval with protection, extension, expiry, conversion.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class DealRegistrationTests(PartnersHost fixture)
{
    public const string Submit = """
        mutation($p: ID!, $i: DealClaimInput!) {
          submitDealRegistration(partnerId: $p, input: $i) {
            result { id number status conflictCount dealMatchName dealMatchDomain dealMatchPhone amount { amount currency }
                     conflicts(orderBy: { kind: ASC }) { nodes { kind reasons matchedName account { id } lead { id } opportunity { id } otherRegistration { id } } } }
            userErrors { field code message }
          }
        }
        """;

    public const string Approve = "mutation($id: ID!, $c: String) { approveDealRegistration(id: $id, comment: $c) { result { id status approvedAt protectedUntil } userErrors { field code message } } }";

    public static readonly string CloseDate = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static object Claim(string partnerId, string customerName, string? email = null, string? phone = null, decimal amount = 200000m) =>
        new { p = partnerId, i = new { customerName, contactName = "王磊", email, phone, products = "CRM 专业版 200 用户", productCategories = new[] { "software" }, amount, expectedCloseDate = CloseDate } };

    [Fact]
    public async Task Submitting_a_registration_for_a_known_account_reports_the_conflict()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联信息技术有限公司");
        var account = await tenant.Admin.CreateAsync("Account", new { name = "深圳市腾达科技有限公司", email = "info@tengda.com.cn" });

        var registration = await tenant.Admin.RunAsync(Submit, Claim(partner, "腾达科技（深圳）股份有限公司", "wang.lei@TENGDA.com.cn"));

        Assert.Equal("pendingApproval", registration["status"].Str());
        Assert.Equal(("腾达科技", "tengda.com.cn"), (registration["dealMatchName"].Str(), registration["dealMatchDomain"].Str()));
        Assert.Equal(1, registration["conflictCount"]!.GetValue<int>());
        var conflict = registration["conflicts"]!["nodes"]![0]!;
        Assert.Equal("account", conflict["kind"].Str());
        Assert.Equal(["companyName", "emailDomain"], conflict["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal("深圳市腾达科技有限公司", conflict["matchedName"].Str());
        Assert.Equal(account.Id(), conflict["account"]!.Id());
    }

    [Fact]
    public async Task Open_leads_open_opportunities_customers_contacts_and_other_partners_claims_are_conflicts_with_their_reasons()
    {
        var tenant = await fixture.TenantAsync();
        var (first, second) = (await tenant.PartnerAsync("华东智联"), await tenant.PartnerAsync("Blue Ocean Systems Ltd."));
        var account = await tenant.Admin.CreateAsync("Account", new { name = "Acme Robotics (Suzhou) Co., Ltd." });
        await tenant.Admin.CreateAsync("Contact", new { name = "Li Na", accountId = account.Id(), email = "li.na@acmerobotics.cn", phone = "0512-6688 1234" });
        var opportunity = await tenant.Admin.CreateAsync("Opportunity", new { name = "Acme 产线 CRM", accountId = account.Id(), amount = new { amount = 300000 } });
        var lead = await tenant.Admin.CreateAsync("Lead", new { name = "张伟", company = "ＡＣＭＥ　ＲＯＢＯＴＩＣＳ　ＩＮＣ．", source = "webForm" });
        await tenant.Admin.CreateAsync("Lead", new { name = "Old", company = "Acme Robotics", source = "webForm", status = "unqualified" });
        var earlier = await tenant.Admin.RunAsync(Submit, Claim(second, "苏州艾克米机器人", phone: "+86 512 6688 1234"));

        var registration = await tenant.Admin.RunAsync(Submit, Claim(first, "acme robotics gmbh", "buyer@acmerobotics.cn", "0512-66881234"));

        var conflicts = registration["conflicts"]!["nodes"]!.AsArray();
        Assert.Equal(4, registration["conflictCount"]!.GetValue<int>());
        Assert.Equal(["account", "lead", "opportunity", "registration"], conflicts.Select(c => c!["kind"].Str()));
        Assert.Equal(account.Id(), conflicts[0]!["account"]!.Id());
        Assert.Equal(["companyName", "emailDomain", "phone"], conflicts[0]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal(lead.Id(), conflicts[1]!["lead"]!.Id());
        Assert.Equal(["companyName"], conflicts[1]!["reasons"]!.AsArray().Select(r => r.Str()));
        Assert.Equal(opportunity.Id(), conflicts[2]!["opportunity"]!.Id());
        Assert.Equal(earlier.Id(), conflicts[3]!["otherRegistration"]!.Id());
        Assert.Equal(["phone"], conflicts[3]!["reasons"]!.AsArray().Select(r => r.Str()));
    }

    [Fact]
    public async Task A_shared_public_mailbox_domain_is_no_conflict_but_the_same_phone_is()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        await tenant.Admin.CreateAsync("Account", new { name = "杭州青禾贸易有限公司", email = "qinghe@qq.com", phone = "13800138000" });

        var unrelated = await tenant.Admin.RunAsync(Submit, Claim(partner, "宁波远航物流有限公司", "boss@qq.com"));
        var samePhone = await tenant.Admin.RunAsync(Submit, Claim(partner, "宁波远航物流", "boss@163.com", "+86 138-0013-8000"));

        Assert.Equal(0, unrelated["conflictCount"]!.GetValue<int>());
        Assert.Null(unrelated["dealMatchDomain"]);
        Assert.Equal(["phone"], samePhone["conflicts"]!["nodes"]![0]!["reasons"]!.AsArray().Select(r => r.Str()));
    }

    [Fact]
    public async Task An_approved_registration_is_protected_and_another_partners_claim_on_the_customer_cannot_be_approved_meanwhile()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("channelManager");
        var (manager, client) = await tenant.UserAsync("chen@example.com", "陈经理", "channelManager");
        var (first, second) = (await tenant.PartnerAsync("华东智联"), await tenant.PartnerAsync("南方渠道"));
        var mine = await tenant.Admin.RunAsync(Submit, Claim(first, "上海星辰科技有限公司", "it@xingchen.com"));
        var theirs = await tenant.Admin.RunAsync(Submit, Claim(second, "星辰科技（上海）股份有限公司"));

        var approved = await client.RunAsync(Approve, new { id = mine.Id(), c = "首报" });
        var refused = await client.RefusedAsync(Approve, new { id = theirs.Id() });

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Shanghai"));
        Assert.Equal(("approved", today.AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), (approved["status"].Str(), approved["protectedUntil"].Str()));
        Assert.Equal(("PARTNER_DEAL_PROTECTED", "id"), (refused.Code, refused.Field));
        Assert.Contains(mine["number"].Str(), refused.Message, StringComparison.Ordinal);
        var after = await tenant.Admin.QueryAsync("query($id: ID!) { dealRegistration(id: $id) { status protectedUntil } }", new { id = theirs.Id() });
        Assert.Equal("pendingApproval", after["dealRegistration"]!["status"].Str());
        Assert.Null(after["dealRegistration"]!["protectedUntil"]);
        Assert.NotNull(manager);
    }

    [Fact]
    public async Task Protection_is_extended_as_often_as_allowed_and_expires_by_the_nightly_job()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var registration = await tenant.Admin.RunAsync(Submit, Claim(partner, "北京云帆网络科技有限公司"));
        var approved = await tenant.Admin.RunAsync(Approve, new { id = registration.Id() });
        var until = DateOnly.Parse(approved["protectedUntil"].Str(), CultureInfo.InvariantCulture);
        const string Extend = "mutation($id: ID!, $d: Int) { extendDealRegistration(id: $id, days: $d) { result { protectedUntil extensionCount } userErrors { field code message } } }";

        var extended = await tenant.Admin.RunAsync(Extend, new { id = registration.Id(), d = 15 });
        var again = await tenant.Admin.RefusedAsync(Extend, new { id = registration.Id() });

        Assert.Equal((until.AddDays(15).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 1), (extended["protectedUntil"].Str(), extended["extensionCount"]!.GetValue<int>()));
        Assert.Equal("PARTNER_EXTENSION_LIMIT", again.Code);

        const string Status = "query($id: ID!) { dealRegistration(id: $id) { status } }";
        var now = DateTime.UtcNow;
        await fixture.RunJobsAsync(now.AddDays(90 + 15 - 1));
        Assert.Equal("approved", (await tenant.Admin.QueryAsync(Status, new { id = registration.Id() }))["dealRegistration"]!["status"].Str());
        await fixture.RunJobsAsync(now.AddDays(90 + 15 + 2));
        Assert.Equal("expired", (await tenant.Admin.QueryAsync(Status, new { id = registration.Id() }))["dealRegistration"]!["status"].Str());

        var convert = await tenant.Admin.RefusedAsync("mutation($id: ID!) { convertDealRegistration(id: $id) { result { id } userErrors { field code message } } }", new { id = registration.Id() });
        Assert.Equal("PARTNER_REGISTRATION_EXPIRED", convert.Code);
    }

    [Fact]
    public async Task Converting_a_protected_registration_opens_a_partner_sourced_opportunity_on_the_matched_account()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var account = await tenant.Admin.CreateAsync("Account", new { name = "深圳市腾达科技有限公司" });
        var registration = await tenant.Admin.RunAsync(Submit, Claim(partner, "腾达科技", amount: 180000.50m));
        await tenant.Admin.RunAsync(Approve, new { id = registration.Id() });

        var converted = await tenant.Admin.RunAsync(Convert, new { id = registration.Id() });

        Assert.Equal("converted", converted["status"].Str());
        Assert.Equal(account.Id(), converted["account"]!.Id());
        var opportunity = converted["opportunity"]!;
        Assert.Equal((account.Id(), partner, "sourced", 180000.5m, "open"), (opportunity["account"]!.Id(), opportunity["partner"]!.Id(), opportunity["partnerRole"].Str(), opportunity["amount"]!["amount"]!.GetValue<decimal>(), opportunity["status"].Str()));
        Assert.Equal(CloseDate, opportunity["expectedCloseDate"].Str());
        Assert.NotNull(opportunity["stage"]!["name"]);
        Assert.Equal(1, await tenant.CountAsync("accounts"));
    }

    [Fact]
    public async Task Converting_a_registration_for_a_new_customer_creates_the_account_and_contact_with_the_partner_as_source()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var registration = await tenant.Admin.RunAsync(Submit, Claim(partner, "成都蓉城教育集团", "zhang@rongcheng.edu.cn", "028-8765 4321"));
        await tenant.Admin.RunAsync(Approve, new { id = registration.Id() });

        var converted = await tenant.Admin.RunAsync(Convert, new { id = registration.Id() });

        var account = await tenant.Admin.QueryAsync("query($id: ID!) { account(id: $id) { name partner { id } contacts { nodes { name email isPrimary } } } }", new { id = converted["account"]!.Id() });
        Assert.Equal(("成都蓉城教育集团", partner), (account["account"]!["name"].Str(), account["account"]!["partner"]!.Id()));
        Assert.Equal(("王磊", "zhang@rongcheng.edu.cn", true), (account["account"]!["contacts"]!["nodes"]![0]!["name"].Str(), account["account"]!["contacts"]!["nodes"]![0]!["email"].Str(), account["account"]!["contacts"]!["nodes"]![0]!["isPrimary"]!.GetValue<bool>()));
        Assert.Equal(partner, converted["opportunity"]!["partner"]!.Id());
    }

    public const string Convert = "mutation($id: ID!) { convertDealRegistration(id: $id) { result { id status account { id } opportunity { account { id } partner { id } partnerRole amount { amount } status expectedCloseDate stage { name } } } userErrors { field code message } } }";
}
