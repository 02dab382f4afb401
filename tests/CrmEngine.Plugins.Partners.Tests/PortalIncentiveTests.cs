using static CrmEngine.Plugins.Partners.Tests.Incentives;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// The portal's attack suite for incentives: partner staff see their own partner's commissions,
/// rebates, MDF claims and payouts, on lists, aggregates and gets, claim only against their own
/// partner's requests, and never see or reach another partner's.
/// </summary>
[Collection(PartnersHostGroup.Name)]
public sealed class PortalIncentiveTests(PartnersHost fixture)
{
    [Fact]
    public async Task Partner_staff_see_and_claim_only_their_own_partners_incentives()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.PortalAsync();
        var admin = tenant.Admin;
        var east = await tenant.PartnerAsync("华东智联");
        var south = await tenant.PartnerAsync("南方渠道");
        var requests = new Dictionary<string, string>();
        foreach (var (partner, customer, amount) in new[] { (east, "腾达科技", 10000m), (south, "星辰科技", 13333m) })
        {
            await AgreementAsync(admin, partner);
            var (_, order) = await PartnerDealAsync(admin, partner, customer);
            await PaymentAsync(admin, order, amount, "2027-02-10");
            var budget = (await admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027-H1", amount = new { amount = 50000m } })).Id();
            requests[partner] = (await admin.CreateAsync("MdfRequest", new { budgetId = budget, activity = $"{customer} 推介会", amount = new { amount = 18000m } })).Id();
            Assert.Empty((await ApproveAsync(admin, "mdfRequest", requests[partner])).UserErrorCodes);
        }

        await admin.RunAsync(Accrue);
        await admin.RunAsync(Rebate, new { p = south, period = "2027-Q1" });
        var southClaim = (await admin.CreateAsync("MdfClaim", new { requestId = requests[south], amount = new { amount = 6000m }, proofReference = "发票 001" })).Id();
        Assert.Empty((await ApproveAsync(admin, "mdfClaim", southClaim)).UserErrorCodes);
        var southPayout = (await admin.RunAsync(Pay, new { p = south, on = "2027-04-10" })).Id();
        var southCommission = (await admin.QueryAsync("query($p: ID!) { partnerCommissions(filter: { partnerId: { eq: $p } }) { nodes { id } } }", new { p = south }))["partnerCommissions"]!["nodes"]![0]!.Id();
        var staff = await tenant.PartnerStaffAsync("liu@zhilian.com.cn", east);

        // Staff file a claim against their own request (with its invoice) and submit it.
        var own = (await staff.MutateAsync(CreateClaim, new { i = new { requestId = requests[east], amount = new { amount = 4000m }, proofReference = "发票 002" } }))["mdfClaim"]!.Id();
        await staff.MutateAsync("mutation($id: ID!) { submitForApproval(entity: \"mdfClaim\", id: $id) { request { id } userErrors { field code message } } }", new { id = own });

        var seen = await staff.QueryAsync("{ partnerCommissions { totalCount nodes { amount { amount } partner { name } } } partnerCommissionsAggregate { count sum { amount } } partnerRebates { totalCount } mdfClaims { totalCount nodes { status partner { name } } } partnerPayouts { totalCount } }");
        Assert.Equal((1, 899.99m, "华东智联"), (seen["partnerCommissions"]!["totalCount"]!.GetValue<int>(), seen["partnerCommissions"]!["nodes"]![0]!["amount"]!["amount"].Dec(), seen["partnerCommissions"]!["nodes"]![0]!["partner"]!["name"].Str()));
        Assert.Equal((1, 899.99m), (seen["partnerCommissionsAggregate"]!["count"]!.GetValue<int>(), seen["partnerCommissionsAggregate"]!["sum"]!["amount"].Dec()));
        Assert.Equal((0, 0), (seen["partnerRebates"]!["totalCount"]!.GetValue<int>(), seen["partnerPayouts"]!["totalCount"]!.GetValue<int>()));
        Assert.Equal(("pendingApproval", "华东智联"), (seen["mdfClaims"]!["nodes"]![0]!["status"].Str(), seen["mdfClaims"]!["nodes"]![0]!["partner"]!["name"].Str()));
        Assert.Equal(1, seen["mdfClaims"]!["totalCount"]!.GetValue<int>());

        // Another partner's records read as absent on every get, and its request can't be claimed against.
        var gets = await staff.QueryAsync("query($c: ID!, $m: ID!, $p: ID!) { node(id: $c) { id } partnerCommission(id: $c) { id } mdfClaim(id: $m) { id } partnerPayout(id: $p) { id } }", new { c = southCommission, m = southClaim, p = southPayout });
        Assert.All(new[] { "node", "partnerCommission", "mdfClaim", "partnerPayout" }, f => Assert.Null(gets[f]));
        Assert.Equal(("LOOKUP_NOT_FOUND", "request"), await staff.RefusedAsync(CreateClaim, new { i = new { requestId = requests[south], amount = new { amount = 1m }, proofReference = "x" } }) is var r ? (r.Code, r.Field) : default);
        Assert.Equal("FORBIDDEN", (await staff.RefusedAsync(Pay, new { p = east })).Code);
        Assert.Equal(2, await tenant.CountAsync("mdfClaims"));
    }
}
