namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Partner agreements (合作协议): rates by product category, exclusivity, approval through the engine's approval service.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class AgreementTests(PartnersHost fixture)
{
    public const string SubmitForApproval = "mutation($id: ID!) { submitForApproval(entity: \"partnerAgreement\", id: $id) { request { id status } userErrors { field code message } } }";
    public const string ApproveRequest = "mutation($id: ID!) { approve(requestId: $id, comment: \"同意\") { request { id status } userErrors { field code message } } }";

    public static object Agreement(string partner, bool exclusive = false, string[]? regions = null, string start = "2027-01-01", string end = "2027-12-31") =>
        new { name = "2027 年度经销协议", partnerId = partner, terms = "按季度结算。", startDate = start, endDate = end, exclusive, exclusiveRegions = regions };

    [Fact]
    public async Task An_agreement_with_rates_by_category_is_approved_by_a_channel_manager_and_its_terms_and_rates_are_then_fixed()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("channelManager");
        var (_, manager) = await tenant.UserAsync("chen@example.com", "陈经理", "channelManager");
        var partner = await tenant.PartnerAsync("华东智联");
        var agreement = await tenant.Admin.CreateAsync("PartnerAgreement", Agreement(partner), "id number status");
        await tenant.Admin.CreateAsync("PartnerAgreementRate", new { agreementId = agreement.Id(), category = "software", discountRate = 25m, commissionRate = 8.5m });
        await tenant.Admin.CreateAsync("PartnerAgreementRate", new { agreementId = agreement.Id(), category = "services", discountRate = 10m, commissionRate = 5m });

        var request = (await tenant.Admin.MutateAsync(SubmitForApproval, new { id = agreement.Id() }))["request"]!;
        var approved = (await manager.MutateAsync(ApproveRequest, new { id = request.Id() }))["request"]!;

        Assert.Equal("draft", agreement["status"].Str());
        Assert.Equal(("PENDING", "APPROVED"), (request["status"].Str(), approved["status"].Str()));
        var read = await tenant.Admin.QueryAsync("query($id: ID!) { partnerAgreement(id: $id) { status rates(orderBy: { category: ASC }) { nodes { category discountRate commissionRate } } } }", new { id = agreement.Id() });
        Assert.Equal("approved", read["partnerAgreement"]!["status"].Str());
        Assert.Equal(["services:10:5", "software:25:8.5"], read["partnerAgreement"]!["rates"]!["nodes"]!.AsArray().Select(r => $"{r!["category"].Str()}:{r["discountRate"]}:{r["commissionRate"]}"));

        var term = await tenant.Admin.RefusedAsync("mutation($id: ID!) { updatePartnerAgreement(id: $id, input: { endDate: \"2028-12-31\" }) { partnerAgreement { id } userErrors { field code message } } }", new { id = agreement.Id() });
        var rate = await tenant.Admin.RefusedAsync("mutation($i: CreatePartnerAgreementRateInput!) { createPartnerAgreementRate(input: $i) { partnerAgreementRate { id } userErrors { field code message } } }", new { i = new { agreementId = agreement.Id(), category = "cloud", discountRate = 30m } });
        Assert.Equal(("INVALID_STATE", "endDate"), (term.Code, term.Field));
        Assert.Equal("INVALID_STATE", rate.Code);
        Assert.Equal(2, await tenant.CountAsync("partnerAgreementRates"));
    }

    [Fact]
    public async Task An_exclusive_agreement_overlapping_another_partners_approved_exclusivity_in_a_region_cannot_be_submitted()
    {
        var tenant = await fixture.TenantAsync();
        var (first, second) = (await tenant.PartnerAsync("华东智联"), await tenant.PartnerAsync("南方渠道"));
        await tenant.RoleAsync("channelManager");
        var (_, manager) = await tenant.UserAsync("chen@example.com", "陈经理", "channelManager");
        var held = await tenant.Admin.CreateAsync("PartnerAgreement", Agreement(first, exclusive: true, regions: ["east"]), "id number");
        var request = (await tenant.Admin.MutateAsync(SubmitForApproval, new { id = held.Id() }))["request"]!;
        await manager.MutateAsync(ApproveRequest, new { id = request.Id() });
        var clashing = await tenant.Admin.CreateAsync("PartnerAgreement", Agreement(second, exclusive: true, regions: ["south", "east"], start: "2027-07-01", end: "2028-06-30"));
        var later = await tenant.Admin.CreateAsync("PartnerAgreement", Agreement(second, exclusive: true, regions: ["east"], start: "2028-01-01", end: "2028-12-31"));

        var refused = await tenant.Admin.RefusedAsync(SubmitForApproval, new { id = clashing.Id() });
        var fine = (await tenant.Admin.MutateAsync(SubmitForApproval, new { id = later.Id() }))["request"]!;

        Assert.Equal(("PARTNER_EXCLUSIVITY_CONFLICT", "exclusiveRegions"), (refused.Code, refused.Field));
        Assert.Contains(held["number"].Str(), refused.Message, StringComparison.Ordinal);
        Assert.Equal("PENDING", fine["status"].Str());
        var status = await tenant.Admin.QueryAsync("query($id: ID!) { partnerAgreement(id: $id) { status } }", new { id = clashing.Id() });
        Assert.Equal("draft", status["partnerAgreement"]!["status"].Str());
    }

    [Fact]
    public async Task Owners_are_reminded_once_to_renew_an_agreement_and_of_an_expiring_certification()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("channelManager");
        var (_, owner) = await tenant.UserAsync("liu@example.com", "刘洋", "channelManager");
        var partner = (await owner.CreateAsync("Partner", new { name = "华东智联", type = "reseller" })).Id();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Shanghai"));
        var end = today.AddDays(40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var agreement = await owner.CreateAsync("PartnerAgreement", new { name = "年度协议", partnerId = partner, startDate = "2026-01-01", endDate = end, renewalReminderDays = 30 });
        var request = (await owner.MutateAsync(SubmitForApproval, new { id = agreement.Id() }))["request"]!;
        await tenant.Admin.MutateAsync(ApproveRequest, new { id = request.Id() });
        await owner.CreateAsync("PartnerCertification", new { partnerId = partner, name = "云架构师", issuedOn = "2025-01-01", expiresOn = today.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        async Task<List<string>> NotesAsync() => (await owner.QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray().Select(n => n!["message"].Str()).ToList();

        var now = DateTime.UtcNow;
        await fixture.RunJobsAsync(now.AddDays(5));
        var early = await NotesAsync();
        await fixture.RunJobsAsync(now.AddDays(12));
        await fixture.RunJobsAsync(now.AddDays(13));
        var later = await NotesAsync();

        Assert.Equal(["合作伙伴「华东智联」的认证「云架构师」将于 " + today.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " 到期。"], early.Where(n => n.Contains("到期", StringComparison.Ordinal)));
        Assert.Single(later, n => n.StartsWith("合作协议「年度协议」", StringComparison.Ordinal) && n.Contains(end, StringComparison.Ordinal));
        Assert.Equal(2, later.Count(n => n.Contains("到期", StringComparison.Ordinal)));
    }
}
