using static CrmEngine.Plugins.Partners.Tests.Incentives;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Every incentive mutation refuses bad input with a typed code on the right field, and changes nothing.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class IncentiveBadInputTests(PartnersHost fixture)
{
    [Fact]
    public async Task Commissions_rebates_and_payouts_refuse_bad_input_and_outsiders_and_write_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var partner = await tenant.PartnerAsync("华东智联");
        var bare = await tenant.PartnerAsync("无协议伙伴");
        var agreement = await AgreementAsync(admin, partner);
        var (_, rep) = await tenant.UserAsync("li@example.com", "李娜");
        const string CreateCommission = "mutation($i: CreatePartnerCommissionInput!) { createPartnerCommission(input: $i) { partnerCommission { id } userErrors { field code message } } }";
        const string CreateTier = "mutation($i: CreatePartnerRebateTierInput!) { createPartnerRebateTier(input: $i) { partnerRebateTier { id } userErrors { field code message } } }";
        var draft = (await admin.CreateAsync("PartnerAgreement", AgreementTests.Agreement(bare))).Id();
        await admin.CreateAsync("PartnerRebateTier", new { agreementId = draft, threshold = new { amount = 5000m }, rate = 1m });

        var refusals = new[]
        {
            (await rep.RefusedAsync(Accrue), "FORBIDDEN", (string?)null),
            (await rep.RefusedAsync(Rebate, new { p = partner, period = "2027-Q1" }), "FORBIDDEN", null),
            (await rep.RefusedAsync(Pay, new { p = partner }), "FORBIDDEN", null),
            (await admin.RefusedAsync(Rebate, new { p = partner, period = "2027-Q5" }), "INVALID_INPUT", "period"),
            (await admin.RefusedAsync(Rebate, new { p = partner, period = "2027-13" }), "INVALID_INPUT", "period"),
            (await admin.RefusedAsync(Rebate, new { p = bare, period = "2027-Q1" }), "PARTNER_NO_AGREEMENT", "partnerId"),
            (await admin.RefusedAsync(Rebate, new { p = agreement, period = "2027-Q1" }), "INVALID_ID", "partnerId"),
            (await admin.RefusedAsync(Pay, new { p = partner }), "PARTNER_NOTHING_TO_PAY", "partnerId"),
            (await admin.RefusedAsync(CreateCommission, new { i = new { partnerId = partner, amount = new { amount = 1m } } }), "INVALID_STATE", null),
            (await admin.RefusedAsync(CreateTier, new { i = new { agreementId = agreement, threshold = new { amount = 50000m }, rate = 5m } }), "INVALID_STATE", "agreement"),
            (await admin.RefusedAsync(CreateTier, new { i = new { agreementId = draft, threshold = new { amount = 5000m }, rate = 2m } }), "INVALID_INPUT", "threshold"),
            (await admin.RefusedAsync(CreateTier, new { i = new { agreementId = draft, threshold = new { amount = 6000m }, rate = 101m } }), "OUT_OF_RANGE", "rate"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        Assert.Equal((0, 0, 0, 3), (await tenant.CountAsync("partnerCommissions"), await tenant.CountAsync("partnerRebates"), await tenant.CountAsync("partnerPayouts"), await tenant.CountAsync("partnerRebateTiers")));
    }

    [Fact]
    public async Task A_claim_without_proof_beyond_its_request_or_on_an_unapproved_one_is_refused_and_nothing_moves()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var partner = await tenant.PartnerAsync("华东智联");
        var other = await tenant.PartnerAsync("南方渠道");
        var budget = (await admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027", amount = new { amount = 20000m } })).Id();
        var approved = (await admin.CreateAsync("MdfRequest", new { budgetId = budget, activity = "推介会", amount = new { amount = 8000m } })).Id();
        Assert.Empty((await ApproveAsync(admin, "mdfRequest", approved)).UserErrorCodes);
        var draftRequest = (await admin.CreateAsync("MdfRequest", new { budgetId = budget, activity = "峰会", amount = new { amount = 2000m } })).Id();
        var claim = (await admin.CreateAsync("MdfClaim", new { requestId = approved, amount = new { amount = 5000m } })).Id();
        const string Update = "mutation($id: ID!, $i: UpdateMdfClaimInput!) { updateMdfClaim(id: $id, input: $i) { mdfClaim { id } userErrors { field code message } } }";
        const string Submit = "mutation($id: ID!) { submitForApproval(entity: \"mdfClaim\", id: $id) { request { id } userErrors { field code message } } }";

        var refusals = new[]
        {
            (await admin.RefusedAsync(CreateClaim, new { i = new { requestId = draftRequest, amount = new { amount = 100m }, proofReference = "x" } }), "PARTNER_MDF_OVER_CLAIMED", "request"),
            (await admin.RefusedAsync(CreateClaim, new { i = new { requestId = approved, amount = new { amount = 8000.01m }, proofReference = "x" } }), "PARTNER_MDF_OVER_CLAIMED", "amount"),
            (await admin.RefusedAsync(CreateClaim, new { i = new { requestId = approved, amount = new { amount = 0m } } }), "OUT_OF_RANGE", "amount"),
            (await admin.RefusedAsync(Submit, new { id = claim }), "PARTNER_MDF_PROOF_REQUIRED", "proof"),
            (await admin.RefusedAsync(Update, new { id = claim, i = new { partnerId = other } }), "COMPUTED_FIELD", "partner"),
            (await admin.RefusedAsync(Update, new { id = claim, i = new { status = "approved" } }), "COMPUTED_FIELD", "status"),
            (await admin.RefusedAsync(Update, new { id = claim, i = new { amount = new { amount = 9000m } } }), "PARTNER_MDF_OVER_CLAIMED", "amount"),
            (await admin.RefusedAsync("mutation($id: ID!, $i: UpdateMdfRequestInput!) { updateMdfRequest(id: $id, input: $i) { mdfRequest { id } userErrors { field code message } } }", new { id = approved, i = new { claimed = new { amount = 1m } } }), "COMPUTED_FIELD", "claimed"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, (string?)r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        var read = (await admin.QueryAsync("{ mdfClaims { totalCount nodes { status amount { amount } partner { name } } } mdfBudgets { nodes { claimed { amount } } } }"));
        Assert.Equal(1, read["mdfClaims"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(("draft", 5000m, "华东智联"), (read["mdfClaims"]!["nodes"]![0]!["status"].Str(), read["mdfClaims"]!["nodes"]![0]!["amount"]!["amount"].Dec(), read["mdfClaims"]!["nodes"]![0]!["partner"]!["name"].Str()));
        Assert.Equal(0m, read["mdfBudgets"]!["nodes"]![0]!["claimed"]!["amount"].Dec());
    }
}
