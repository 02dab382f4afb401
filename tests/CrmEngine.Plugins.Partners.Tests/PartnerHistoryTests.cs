using static CrmEngine.Plugins.Partners.Tests.DealRegistrationTests;
using static CrmEngine.Plugins.Partners.Tests.Incentives;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// A partner's cooperation history (合作历史): agreements, certifications, registrations, opportunities
/// and their orders, MDF requests and claims, payouts, and the messages exchanged (activities), newest first.
/// </summary>
[Collection(PartnersHostGroup.Name)]
public sealed class PartnerHistoryTests(PartnersHost fixture)
{
    private const string History = "query($p: ID!, $n: Int) { partnerHistory(partnerId: $p, first: $n) { at kind title status recordId } }";

    [Fact]
    public async Task A_partners_history_lists_what_it_did_with_us_newest_first()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var partner = await tenant.PartnerAsync("华东智联");
        var other = await tenant.PartnerAsync("南方渠道");

        await admin.CreateAsync("PartnerCertification", new { partnerId = partner, name = "CRM 实施认证", issuedOn = "2025-01-01", expiresOn = "2025-12-31" });
        await admin.CreateAsync("PartnerAgreement", AgreementTests.Agreement(partner));
        var registration = await admin.RunAsync(Submit, Claim(partner, "腾达科技"));
        await admin.RunAsync(Submit, Claim(other, "云帆网络"));
        await admin.RunAsync(Approve, new { id = registration.Id() });
        var converted = await admin.RunAsync(DealRegistrationTests.Convert, new { id = registration.Id() });
        var opportunity = (await admin.QueryAsync("{ opportunities(filter: { partnerRole: { eq: \"sourced\" } }) { nodes { id } } }"))["opportunities"]!["nodes"]![0]!.Id();
        await OrderAsync(admin, converted["account"]!.Id(), opportunity);

        // Messages on its deals, logged with their dates: a visit about its opportunity, a WeChat exchange with the
        // account it brought; and one with a customer of no partner's (not in its history).
        await admin.CreateAsync("Activity", new { subject = "拜访腾达科技", type = "visit", opportunityId = opportunity, occurredAt = "2026-01-07T02:00:00Z" });
        await admin.CreateAsync("Activity", new { subject = "确认采购清单", type = "wechat", accountId = converted["account"]!.Id(), occurredAt = "2026-01-05T02:00:00Z" });
        await admin.CreateAsync("Activity", new { subject = "远航物流例会", type = "meeting", accountId = (await admin.CreateAsync("Account", new { name = "远航物流" })).Id(), occurredAt = "2026-01-06T02:00:00Z" });

        var budget = await admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027", amount = new { amount = 1000m } });
        var request = (await admin.CreateAsync("MdfRequest", new { budgetId = budget.Id(), activity = "客户沙龙", amount = new { amount = 500m } })).Id();
        Assert.Empty((await ApproveAsync(admin, "mdfRequest", request)).UserErrorCodes);
        var claim = (await admin.CreateAsync("MdfClaim", new { requestId = request, amount = new { amount = 480.50m }, proofReference = "发票 0001" })).Id();
        Assert.Empty((await ApproveAsync(admin, "mdfClaim", claim)).UserErrorCodes);
        await admin.RunAsync(Pay, new { p = partner, on = "2027-04-10", @ref = "CMB-001" });

        var events = (await admin.QueryAsync(History, new { p = partner }))["partnerHistory"]!.AsArray();
        var two = (await admin.QueryAsync(History, new { p = partner, n = 2 }))["partnerHistory"]!.AsArray();
        var refused = await admin.PostAsync(History, new { p = partner, n = 0 });

        // Newest first by when each happened: what was created in this test, then the activities on the days they occurred.
        Assert.Equal(
            ["PAYOUT:", "MDF_CLAIM:paid", "MDF_REQUEST:approved", "ORDER:confirmed", "OPPORTUNITY:open", "REGISTRATION:converted", "AGREEMENT:draft", "CERTIFICATION:expired", "ACTIVITY:done", "ACTIVITY:done"],
            events.Select(e => $"{e!["kind"].Str()}:{e["status"]?.GetValue<string>()}"));
        Assert.Equal(registration.Id(), events[5]!["recordId"].Str());
        Assert.EndsWith(" 480.50 CNY", events[0]!["title"].Str(), StringComparison.Ordinal);
        Assert.Equal(["visit: 拜访腾达科技", "wechat: 确认采购清单"], events.Skip(8).Select(e => e!["title"].Str()));
        Assert.Equal([new DateTimeOffset(2026, 1, 7, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero)], events.Skip(8).Select(e => DateTimeOffset.Parse(e!["at"].Str(), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["PAYOUT", "MDF_CLAIM"], two.Select(e => e!["kind"].Str()));
        Assert.Equal(["INVALID_INPUT"], refused.ErrorCodes);
    }
}
