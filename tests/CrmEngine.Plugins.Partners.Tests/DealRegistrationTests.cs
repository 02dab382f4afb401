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
}
