using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>The channel's money as the incentive tests set it up by hand: agreements with rates and tiers, partner-sourced orders, payments, approvals.</summary>
public static class Incentives
{
    public const string Accrue = "mutation { accruePartnerCommissions { result userErrors { field code message } } }";
    public const string Rebate = "mutation($p: ID!, $period: String!) { calculatePartnerRebate(partnerId: $p, period: $period) { result { id period revenue { amount } amount { amount } breakdown status } userErrors { field code message } } }";
    public const string Pay = "mutation($p: ID!, $on: Date, $ref: String) { payPartner(partnerId: $p, paidOn: $on, reference: $ref) { result { id number paidOn commissionTotal { amount } rebateTotal { amount } fundTotal { amount } total { amount } } userErrors { field code message } } }";
    public const string CreateClaim = "mutation($i: CreateMdfClaimInput!) { createMdfClaim(input: $i) { mdfClaim { id } userErrors { field code message } } }";
    public const string Commissions = "{ partnerCommissions(orderBy: { receivedOn: ASC }) { totalCount nodes { baseAmount { amount } rate amount { amount } status partner { name } } } }";

    /// <summary>Submits a record for approval and approves it (as <paramref name="approver"/>, else as the submitter); returns the approval's answer.</summary>
    public static async Task<GraphQLResponse> ApproveAsync(GraphQLClient submitter, string entity, string id, GraphQLClient? approver = null)
    {
        var request = (await submitter.MutateAsync("mutation($e: String!, $id: ID!) { submitForApproval(entity: $e, id: $id) { request { id } userErrors { field code message } } }", new { e = entity, id }))["request"]!.Id();
        return await (approver ?? submitter).PostAsync("mutation($id: ID!) { approve(requestId: $id) { request { id status } userErrors { field code message } } }", new { id = request });
    }

    /// <summary>
    /// The partner's approved 2027 agreement: software 8.5 %, services 12 % commission; rebates of 2 %
    /// on the quarter's sourced revenue from 10,000 and 3 % from 20,000.
    /// </summary>
    public static async Task<string> AgreementAsync(GraphQLClient admin, string partner)
    {
        var agreement = (await admin.CreateAsync("PartnerAgreement", AgreementTests.Agreement(partner))).Id();
        await admin.CreateAsync("PartnerAgreementRate", new { agreementId = agreement, category = "software", discountRate = 25m, commissionRate = 8.5m });
        await admin.CreateAsync("PartnerAgreementRate", new { agreementId = agreement, category = "services", discountRate = 10m, commissionRate = 12m });
        await admin.CreateAsync("PartnerRebateTier", new { agreementId = agreement, threshold = new { amount = 10000m }, rate = 2m });
        await admin.CreateAsync("PartnerRebateTier", new { agreementId = agreement, threshold = new { amount = 20000m }, rate = 3m });
        Assert.Empty((await ApproveAsync(admin, "partnerAgreement", agreement)).UserErrorCodes);
        return agreement;
    }

    /// <summary>An order of 23,333.00 on the opportunity: 2 × 10,000 software licences and a 3,333 implementation service.</summary>
    public static async Task<string> OrderAsync(GraphQLClient admin, string account, string opportunity)
    {
        var software = (await admin.CreateAsync("Product", new { name = "CRM 专业版许可", listPrice = new { amount = 10000m }, taxRate = 0m, category = "software" })).Id();
        var service = (await admin.CreateAsync("Product", new { name = "CRM 实施服务", listPrice = new { amount = 3333m }, taxRate = 0m, category = "service" })).Id();
        var order = (await admin.CreateAsync("Order", new { accountId = account, opportunityId = opportunity, orderDate = "2027-02-01" })).Id();
        await admin.CreateAsync("OrderLine", new { orderId = order, productId = software, quantity = 2m });
        await admin.CreateAsync("OrderLine", new { orderId = order, productId = service, quantity = 1m });
        return order;
    }

    /// <summary>A partner-sourced (or -influenced) opportunity on a new account, with the 23,333.00 order.</summary>
    public static async Task<(string Account, string Order)> PartnerDealAsync(GraphQLClient admin, string partner, string customer, string role = "sourced")
    {
        var account = (await admin.CreateAsync("Account", new { name = customer })).Id();
        var opportunity = (await admin.CreateAsync("Opportunity", new { name = $"{customer} CRM", accountId = account, amount = new { amount = 23333m }, partnerId = partner, partnerRole = role })).Id();
        return (account, await OrderAsync(admin, account, opportunity));
    }

    public static Task<JsonNode> PaymentAsync(GraphQLClient client, string order, decimal amount, string receivedOn) =>
        client.CreateAsync("Payment", new { orderId = order, amount = new { amount }, receivedOn });

    public static decimal Dec(this JsonNode? node) => node!.GetValue<decimal>();
}
