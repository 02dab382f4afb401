using static CrmEngine.Plugins.Partners.Tests.DealRegistrationTests;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>A partner's cooperation history (合作历史): agreements, certifications, registrations, opportunities and MDF requests, newest first.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class PartnerHistoryTests(PartnersHost fixture)
{
    private const string History = "query($p: ID!, $n: Int) { partnerHistory(partnerId: $p, first: $n) { kind title status recordId } }";

    [Fact]
    public async Task A_partners_history_lists_what_it_did_with_us_newest_first()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var other = await tenant.PartnerAsync("南方渠道");
        await tenant.Admin.CreateAsync("PartnerCertification", new { partnerId = partner, name = "CRM 实施认证", issuedOn = "2025-01-01", expiresOn = "2025-12-31" });
        await tenant.Admin.CreateAsync("PartnerAgreement", AgreementTests.Agreement(partner));
        var registration = await tenant.Admin.RunAsync(Submit, Claim(partner, "腾达科技"));
        await tenant.Admin.RunAsync(Submit, Claim(other, "云帆网络"));
        await tenant.Admin.RunAsync(Approve, new { id = registration.Id() });
        await tenant.Admin.RunAsync(DealRegistrationTests.Convert, new { id = registration.Id() });
        var budget = await tenant.Admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027", amount = new { amount = 1000m } });
        await tenant.Admin.CreateAsync("MdfRequest", new { budgetId = budget.Id(), activity = "客户沙龙", amount = new { amount = 500m } });

        var events = (await tenant.Admin.QueryAsync(History, new { p = partner }))["partnerHistory"]!.AsArray();
        var two = (await tenant.Admin.QueryAsync(History, new { p = partner, n = 2 }))["partnerHistory"]!.AsArray();
        var refused = await tenant.Admin.PostAsync(History, new { p = partner, n = 0 });

        Assert.Equal(["MDF_REQUEST:draft", "OPPORTUNITY:open", "REGISTRATION:converted", "AGREEMENT:draft", "CERTIFICATION:expired"], events.Select(e => $"{e!["kind"].Str()}:{e["status"].Str()}"));
        Assert.Equal(registration.Id(), events[2]!["recordId"].Str());
        Assert.Equal(["MDF_REQUEST", "OPPORTUNITY"], two.Select(e => e!["kind"].Str()));
        Assert.Equal(["INVALID_INPUT"], refused.ErrorCodes);
    }
}
