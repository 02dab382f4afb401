using static CrmEngine.Plugins.Partners.Tests.Incentives;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Incentives under repetition and races: a payment is counted once, claims never take more than a request committed.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class IncentiveTests(PartnersHost fixture)
{
    [Fact]
    public async Task A_payment_earns_its_commission_once_however_often_and_concurrently_it_is_counted()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var partner = await tenant.PartnerAsync("华东智联");
        await AgreementAsync(admin, partner);
        var (_, sourced) = await PartnerDealAsync(admin, partner, "腾达科技");
        var (_, influenced) = await PartnerDealAsync(admin, partner, "云帆网络", role: "influenced");
        var direct = await OrderAsync(admin, (await admin.CreateAsync("Account", new { name = "直销客户" })).Id(), (await admin.CreateAsync("Opportunity", new { name = "直销商机", amount = new { amount = 23333m } })).Id());
        await PaymentAsync(admin, sourced, 10000m, "2027-02-10");
        await PaymentAsync(admin, influenced, 10000m, "2027-02-10");
        await PaymentAsync(admin, direct, 10000m, "2027-02-10");
        await PaymentAsync(admin, sourced, 5000m, "2026-12-31"); // before the agreement: not counted until one covers the day

        // Two calls at once and the job twice: only the sourced payment the agreement covers is counted, once.
        var raced = await Task.WhenAll(admin.PostAsync(Accrue), admin.PostAsync(Accrue));
        await fixture.RunJobsAsync(new DateTime(2027, 2, 10, 9, 20, 0, DateTimeKind.Utc));
        await fixture.RunJobsAsync(new DateTime(2027, 2, 10, 10, 20, 0, DateTimeKind.Utc));
        var again = await admin.RunAsync(Accrue);

        var counted = raced.Where(r => r.UserErrorCodes.Count == 0).Sum(r => r.Data!["accruePartnerCommissions"]!["result"]!.GetValue<int>());
        Assert.Equal(1, counted);
        Assert.Equal(0, again.GetValue<int>());
        var commissions = (await admin.QueryAsync(Commissions))["partnerCommissions"]!;
        Assert.Equal(1, commissions["totalCount"]!.GetValue<int>());
        Assert.Equal((10000m, 899.99m, "pending"), (commissions["nodes"]![0]!["baseAmount"]!["amount"].Dec(), commissions["nodes"]![0]!["amount"]!["amount"].Dec(), commissions["nodes"]![0]!["status"].Str()));
    }

    [Fact]
    public async Task Claim_approvals_racing_for_the_rest_of_a_request_never_take_more_than_it_committed()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("channelManager");
        var (_, manager) = await tenant.UserAsync("chen@example.com", "陈经理", "channelManager");
        var partner = await tenant.PartnerAsync("华东智联");
        var budget = (await tenant.Admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027-H1", amount = new { amount = 20000m } })).Id();
        var request = (await tenant.Admin.CreateAsync("MdfRequest", new { budgetId = budget, activity = "渠道推介会", amount = new { amount = 10000m } })).Id();
        Assert.Empty((await ApproveAsync(tenant.Admin, "mdfRequest", request, manager)).UserErrorCodes);
        var approvals = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            var claim = (await tenant.Admin.CreateAsync("MdfClaim", new { requestId = request, amount = new { amount = 3000.25m }, proofReference = $"发票 {i}" })).Id();
            approvals.Add((await tenant.Admin.MutateAsync("mutation($id: ID!) { submitForApproval(entity: \"mdfClaim\", id: $id) { request { id } userErrors { field code message } } }", new { id = claim }))["request"]!.Id());
        }

        // All five at once; a loser of a race is refused for the race itself, and is then decided again, alone.
        const string Approve = "mutation($id: ID!) { approve(requestId: $id) { request { id status } userErrors { field code message } } }";
        var raced = await Task.WhenAll(approvals.Select(id => manager.PostAsync(Approve, new { id })));
        var codes = raced.Select(r => r.UserErrorCodes.Count > 0 ? r.UserErrorCodes[0] : "APPROVED").ToList();
        for (var i = 0; i < codes.Count; i++)
        {
            if (codes[i] is not ("APPROVED" or "PARTNER_MDF_OVER_CLAIMED"))
            {
                var retry = await manager.PostAsync(Approve, new { id = approvals[i] });
                codes[i] = retry.UserErrorCodes.Count > 0 ? retry.UserErrorCodes[0] : "APPROVED";
            }
        }

        Assert.Equal((3, 2), (codes.Count(c => c == "APPROVED"), codes.Count(c => c == "PARTNER_MDF_OVER_CLAIMED")));
        var read = (await tenant.Admin.QueryAsync("query($id: ID!) { mdfBudget(id: $id) { committed { amount } claimed { amount } remaining { amount } requests { nodes { claimed { amount } } } } mdfClaims { nodes { status } } }", new { id = budget }));
        var funds = read["mdfBudget"]!;
        Assert.Equal((10000m, 9000.75m, 10000m, 9000.75m), (funds["committed"]!["amount"].Dec(), funds["claimed"]!["amount"].Dec(), funds["remaining"]!["amount"].Dec(), funds["requests"]!["nodes"]![0]!["claimed"]!["amount"].Dec()));
        Assert.Equal(3, read["mdfClaims"]!["nodes"]!.AsArray().Count(c => c!["status"].Str() == "approved"));
    }
}
