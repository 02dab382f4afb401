using static CrmEngine.Plugins.Partners.Tests.DealRegistrationTests;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Every mutation of the partners module refuses bad input with a typed code on the right field, and changes nothing.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class BadInputTests(PartnersHost fixture)
{
    private const string Reject = "mutation($id: ID!, $c: String) { rejectDealRegistration(id: $id, comment: $c) { result { id } userErrors { field code message } } }";
    private const string Extend = "mutation($id: ID!, $d: Int) { extendDealRegistration(id: $id, days: $d) { result { id } userErrors { field code message } } }";
    private const string ConvertTo = "mutation($id: ID!, $a: ID) { convertDealRegistration(id: $id, accountId: $a) { result { id } userErrors { field code message } } }";

    [Fact]
    public async Task A_registration_with_a_bad_claim_is_refused_on_its_field_and_nothing_is_written()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var suspended = await tenant.PartnerAsync("停牌伙伴", status: "suspended");
        await tenant.Admin.CreateAsync("Account", new { name = "腾达科技" });
        var past = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var gone = await tenant.PartnerAsync("已删除伙伴");
        await tenant.Admin.MutateAsync("mutation($id: ID!) { deletePartner(id: $id) { userErrors { code message } } }", new { id = gone });

        var refusals = new[]
        {
            (await tenant.Admin.RefusedAsync(Submit, Claim(suspended, "腾达科技")), "PARTNER_INACTIVE", "partnerId"),
            (await tenant.Admin.RefusedAsync(Submit, Claim(gone, "腾达科技")), "NOT_FOUND", "partnerId"),
            (await tenant.Admin.RefusedAsync(Submit, Claim(partner, "股份有限公司")), "INVALID_INPUT", "customerName"),
            (await tenant.Admin.RefusedAsync(Submit, Claim(partner, "  ")), "INVALID_INPUT", "customerName"),
            (await tenant.Admin.RefusedAsync(Submit, Claim(partner, "腾达科技", amount: 0m)), "INVALID_INPUT", "amount"),
            (await tenant.Admin.RefusedAsync(Submit, new { p = partner, i = new { customerName = "腾达科技", amount = 1000m, expectedCloseDate = past } }), "INVALID_INPUT", "expectedCloseDate"),
            (await tenant.Admin.RefusedAsync(Submit, Claim(partner, "腾达科技", email: "not-an-address")), "INVALID_VALUE", "email"),
            (await tenant.Admin.RefusedAsync(Submit, new { p = partner, i = new { customerName = "腾达科技", amount = 1000m, expectedCloseDate = CloseDate, region = "mars" } }), "INVALID_OPTION", "region"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, (string?)r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        Assert.Equal((0, 0), (await tenant.CountAsync("dealRegistrations"), await tenant.CountAsync("dealConflicts")));
    }

    [Fact]
    public async Task Deciding_extending_or_converting_a_registration_in_the_wrong_state_is_refused_and_changes_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var pending = await tenant.Admin.RunAsync(Submit, Claim(partner, "腾达科技"));
        var approved = await tenant.Admin.RunAsync(Submit, Claim(partner, "云帆网络"));
        await tenant.Admin.RunAsync(Approve, new { id = approved.Id() });

        var refusals = new[]
        {
            (await tenant.Admin.RefusedAsync(Approve, new { id = approved.Id() }), "INVALID_STATE", "id"),
            (await tenant.Admin.RefusedAsync(Reject, new { id = pending.Id() }), "APPROVAL_COMMENT_REQUIRED", "comment"),
            (await tenant.Admin.RefusedAsync(Extend, new { id = pending.Id() }), "INVALID_STATE", "id"),
            (await tenant.Admin.RefusedAsync(Extend, new { id = approved.Id(), d = 0 }), "INVALID_INPUT", "days"),
            (await tenant.Admin.RefusedAsync(Extend, new { id = approved.Id(), d = 400 }), "INVALID_INPUT", "days"),
            (await tenant.Admin.RefusedAsync(ConvertTo, new { id = pending.Id() }), "INVALID_STATE", "id"),
            (await tenant.Admin.RefusedAsync(ConvertTo, new { id = approved.Id(), a = approved.Id() }), "INVALID_ID", "accountId"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, (string?)r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        var after = await tenant.Admin.QueryAsync("{ dealRegistrations(orderBy: { number: ASC }) { nodes { status extensionCount opportunity { id } } } }");
        Assert.Equal(["pendingApproval:0", "approved:0"], after["dealRegistrations"]!["nodes"]!.AsArray().Select(r => $"{r!["status"].Str()}:{r["extensionCount"]}"));
        Assert.Equal(0, await tenant.CountAsync("opportunities"));
    }

    [Fact]
    public async Task Registrations_are_not_created_or_moved_by_direct_writes()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var pending = await tenant.Admin.RunAsync(Submit, Claim(partner, "腾达科技"));

        var create = await tenant.Admin.RefusedAsync("mutation($i: CreateDealRegistrationInput!) { createDealRegistration(input: $i) { dealRegistration { id } userErrors { field code message } } }", new { i = new { partnerId = partner, customerName = "腾达", amount = new { amount = 1 }, expectedCloseDate = CloseDate } });
        var status = await tenant.Admin.RefusedAsync("mutation($id: ID!) { updateDealRegistration(id: $id, input: { protectedUntil: \"2030-01-01\" }) { dealRegistration { id } userErrors { field code message } } }", new { id = pending.Id() });

        Assert.Equal("INVALID_STATE", create.Code);
        Assert.Equal(("COMPUTED_FIELD", "protectedUntil"), (status.Code, status.Field));
        Assert.Equal(1, await tenant.CountAsync("dealRegistrations"));
    }

    [Fact]
    public async Task Agreements_rates_and_certifications_with_bad_values_are_refused_and_nothing_is_written()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var terminated = await tenant.PartnerAsync("旧伙伴", status: "terminated");
        var agreement = await tenant.Admin.CreateAsync("PartnerAgreement", AgreementTests.Agreement(partner));
        var old = await tenant.Admin.CreateAsync("PartnerAgreement", AgreementTests.Agreement(terminated));
        await tenant.Admin.CreateAsync("PartnerAgreementRate", new { agreementId = agreement.Id(), category = "software", discountRate = 20m });
        const string CreateAgreement = "mutation($i: CreatePartnerAgreementInput!) { createPartnerAgreement(input: $i) { partnerAgreement { id } userErrors { field code message } } }";
        const string CreateRate = "mutation($i: CreatePartnerAgreementRateInput!) { createPartnerAgreementRate(input: $i) { partnerAgreementRate { id } userErrors { field code message } } }";
        const string CreateCertification = "mutation($i: CreatePartnerCertificationInput!) { createPartnerCertification(input: $i) { partnerCertification { id } userErrors { field code message } } }";

        var refusals = new[]
        {
            (await tenant.Admin.RefusedAsync(CreateAgreement, new { i = AgreementTests.Agreement(partner, start: "2027-06-01", end: "2027-05-31") }), "INVALID_INPUT", "endDate"),
            (await tenant.Admin.RefusedAsync(CreateAgreement, new { i = AgreementTests.Agreement(partner, exclusive: true) }), "INVALID_INPUT", "exclusiveRegions"),
            (await tenant.Admin.RefusedAsync(CreateAgreement, new { i = new { name = "x", partnerId = partner, startDate = "2027-01-01", endDate = "2027-12-31", status = "approved" } }), "COMPUTED_FIELD", "status"),
            (await tenant.Admin.RefusedAsync(CreateRate, new { i = new { agreementId = agreement.Id(), category = "software", discountRate = 30m } }), "PARTNER_DUPLICATE_RATE", "category"),
            (await tenant.Admin.RefusedAsync(CreateRate, new { i = new { agreementId = agreement.Id(), category = "cloud", commissionRate = 120m } }), "OUT_OF_RANGE", "commissionRate"),
            (await tenant.Admin.RefusedAsync(AgreementTests.SubmitForApproval, new { id = old.Id() }), "PARTNER_INACTIVE", "partner"),
            (await tenant.Admin.RefusedAsync(CreateCertification, new { i = new { partnerId = partner, name = "云架构师", issuedOn = "2026-05-01", expiresOn = "2026-04-30" } }), "INVALID_INPUT", "expiresOn"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, (string?)r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        Assert.Equal((2, 1, 0), (await tenant.CountAsync("partnerAgreements"), await tenant.CountAsync("partnerAgreementRates"), await tenant.CountAsync("partnerCertifications")));
        Assert.Equal(2, await tenant.CountAsync("partnerAgreements", "{ status: { eq: \"draft\" } }"));
    }
}
