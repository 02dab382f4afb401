using static CrmEngine.Plugins.Partners.Tests.Incentives;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>The whole channel story by hand: register, conflict found, approve, convert, win, collect, commission, rebate, MDF claim, payout.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class ChannelStoryTests(PartnersHost fixture)
{
    [Fact]
    public async Task A_registered_deal_won_and_collected_pays_its_partner_commission_rebate_and_funds_to_the_cent()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var known = (await admin.CreateAsync("Account", new { name = "深圳市腾达科技有限公司", email = "info@tengda.com.cn" })).Id();
        var partner = await tenant.PartnerAsync("华东智联信息技术有限公司");
        await AgreementAsync(admin, partner);

        // Register: the customer is a known account, found by name without its legal form and place, and by domain.
        var registration = await admin.RunAsync(DealRegistrationTests.Submit, new { p = partner, i = new { customerName = "腾达科技（深圳）股份有限公司", email = "wang.lei@TENGDA.com.cn", productCategories = new[] { "software" }, amount = 23333m, expectedCloseDate = DealRegistrationTests.CloseDate } });
        var conflict = registration["conflicts"]!["nodes"]![0]!;
        Assert.Equal(("account", known, "companyName,emailDomain"), (conflict["kind"].Str(), conflict["account"]!.Id(), string.Join(',', conflict["reasons"]!.AsArray().Select(r => r.Str()))));

        // Approve and convert: a partner-sourced opportunity on the known account; it is won and ordered.
        await admin.RunAsync(DealRegistrationTests.Approve, new { id = registration.Id() });
        var converted = await admin.RunAsync("mutation($id: ID!) { convertDealRegistration(id: $id) { result { opportunity { id partnerRole account { id } } } userErrors { field code message } } }", new { id = registration.Id() });
        var opportunity = converted["opportunity"]!;
        Assert.Equal(("sourced", known), (opportunity["partnerRole"].Str(), opportunity["account"]!.Id()));
        await admin.RunAsync("mutation($id: ID!) { winOpportunity(id: $id) { result { id status } userErrors { field code message } } }", new { id = opportunity.Id() });
        var order = await OrderAsync(admin, known, opportunity.Id());

        // Collect in two payments; the hourly job counts each once, at 8.5 % on software and 12 % on services:
        //   10,000.00 over lines of 20,000 and 3,333 → 8,571.56 + 1,428.44; × 8.5 % = 728.58, × 12 % = 171.41: 899.99
        //   13,333.00 → 11,428.44 + 1,904.56 (the spare cent to the larger remainder); 971.42 + 228.55 = 1,199.97
        await PaymentAsync(admin, order, 10000m, "2027-02-10");
        await PaymentAsync(admin, order, 13333m, "2027-03-15");
        await fixture.RunJobsAsync(new DateTime(2027, 3, 15, 9, 20, 0, DateTimeKind.Utc));
        var commissions = (await admin.QueryAsync(Commissions))["partnerCommissions"]!["nodes"]!.AsArray();
        Assert.Equal([(10000m, 899.99m, 8.9999m), (13333m, 1199.97m, 9.0000m)], commissions.Select(c => (c!["baseAmount"]!["amount"].Dec(), c["amount"]!["amount"].Dec(), c["rate"].Dec())));

        // The quarter's sourced revenue is 23,333.00: 2 % of 10,000 (10,000 to 20,000) and 3 % of 3,333 above 20,000.
        var rebate = await admin.RunAsync(Rebate, new { p = partner, period = "2027-Q1" });
        Assert.Equal((23333m, 299.99m, "10000.00 × 2% = 200.00; 3333.00 × 3% = 99.99"), (rebate["revenue"]!["amount"].Dec(), rebate["amount"]!["amount"].Dec(), rebate["breakdown"].Str()));

        // MDF: 18,000 approved from a 50,000 budget, 17,500.50 claimed with its invoice and approved.
        var budget = (await admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027-H1", amount = new { amount = 50000m } })).Id();
        var request = (await admin.CreateAsync("MdfRequest", new { budgetId = budget, activity = "华东区渠道推介会", amount = new { amount = 18000m } })).Id();
        Assert.Empty((await ApproveAsync(admin, "mdfRequest", request)).UserErrorCodes);
        var claim = (await admin.CreateAsync("MdfClaim", new { requestId = request, amount = new { amount = 17500.50m }, proofReference = "增值税发票 No.04403190 0111" })).Id();
        Assert.Empty((await ApproveAsync(admin, "mdfClaim", claim)).UserErrorCodes);
        var funds = (await admin.QueryAsync("query($id: ID!) { mdfBudget(id: $id) { committed { amount } claimed { amount } remaining { amount } requests { nodes { claimed { amount } } } } }", new { id = budget }))["mdfBudget"]!;
        Assert.Equal((18000m, 17500.50m, 32000m, 17500.50m), (funds["committed"]!["amount"].Dec(), funds["claimed"]!["amount"].Dec(), funds["remaining"]!["amount"].Dec(), funds["requests"]!["nodes"]![0]!["claimed"]!["amount"].Dec()));

        // One payout settles it all: 2,099.96 + 299.99 + 17,500.50 = 19,900.45; then nothing is owed.
        var payout = await admin.RunAsync(Pay, new { p = partner, on = "2027-04-10", @ref = "CMB-20270410-001" });
        Assert.Equal((2099.96m, 299.99m, 17500.50m, 19900.45m), (payout["commissionTotal"]!["amount"].Dec(), payout["rebateTotal"]!["amount"].Dec(), payout["fundTotal"]!["amount"].Dec(), payout["total"]!["amount"].Dec()));
        var paid = await admin.QueryAsync("{ partnerCommissions { nodes { status payout { number } } } partnerRebates { nodes { status } } mdfClaims { nodes { paidAt payout { total { amount } } } } }");
        Assert.All(paid["partnerCommissions"]!["nodes"]!.AsArray(), c => Assert.Equal(("paid", payout["number"].Str()), (c!["status"].Str(), c["payout"]!["number"].Str())));
        Assert.Equal("paid", paid["partnerRebates"]!["nodes"]![0]!["status"].Str());
        Assert.Equal(19900.45m, paid["mdfClaims"]!["nodes"]![0]!["payout"]!["total"]!["amount"].Dec());
        Assert.Equal("PARTNER_NOTHING_TO_PAY", (await admin.RefusedAsync(Pay, new { p = partner })).Code);
        Assert.Equal(("INVALID_STATE", "period"), await admin.RefusedAsync(Rebate, new { p = partner, period = "2027-Q1" }) is var r ? (r.Code, r.Field) : default);
    }
}
