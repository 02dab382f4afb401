using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// Credit for a deal follows the opportunity's owner, whoever converts the lead, makes the quote or
/// the order, or records the payment: the order, its instalments, its payments and their
/// commissions are the rep's, and collections list them under the rep's name.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class CreditTests(SalesHost fixture)
{
    private const string Errors = "userErrors { field code message }";

    [Fact]
    public async Task Credit_follows_the_opportunitys_owner_when_an_admin_converts_quotes_orders_and_collects()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (li, _) = await tenant.UserAsync("li@example.cn", "李娜", commissionRate: 5m);
        await admin.MutateAsync("mutation { saveRole(input: { name: \"finance\", entities: [{ entity: \"*\", read: ALL }, { entity: \"payment\", read: ALL, create: OWN, update: OWN }] }) { role { name } " + Errors + " } }");
        var (_, finance) = await tenant.UserWithOnlyAsync("kuaiji@example.cn", "孙会计", rep: false, "finance");

        // The admin key captures the lead (assigned to 李娜, the only rep) and converts it.
        var lead = (await admin.RunAsync("mutation($i: CaptureLeadInput!) { captureLead(input: $i) { result { lead { id ownerId } } " + Errors + " } }", new { i = new { name = "陈静", company = "上海星辰科技有限公司", email = "chen.jing@xingchen.cn", source = "webForm" } }))["lead"]!;
        Assert.Equal(li, lead["ownerId"].Str());
        await admin.UpdateAsync("Lead", lead.Id(), new { status = "qualified" });
        var converted = await admin.RunAsync("mutation($id: ID!) { convertLead(id: $id, createOpportunity: true, amount: 100000) { result { account { id ownerId } opportunity { id ownerId } } " + Errors + " } }", new { id = lead.Id() });
        var (account, opportunity) = (converted["account"]!.Id(), converted["opportunity"]!);
        Assert.Equal((li, li), (converted["account"]!["ownerId"].Str(), opportunity["ownerId"].Str()));

        // The admin quotes on 李娜's opportunity, revises and accepts: quote, revision and order are hers.
        var product = (await admin.CreateAsync("Product", new { name = "销售云 CRM 专业版", listPrice = new { amount = 10000m }, taxRate = 0m })).Id();
        var quote = await admin.CreateAsync("Quote", new { name = "星辰科技 CRM 报价", accountId = account, opportunityId = opportunity.Id() }, "id ownerId");
        Assert.Equal(li, quote["ownerId"].Str());
        await admin.CreateAsync("QuoteLine", new { quoteId = quote.Id(), productId = product, quantity = 2m });
        var revision = await admin.RunAsync($"mutation {{ reviseQuote(id: \"{quote.Id()}\") {{ result {{ id ownerId }} {Errors} }} }}");
        Assert.Equal(li, revision["ownerId"].Str());
        var order = (await admin.RunAsync($"mutation {{ acceptQuote(id: \"{revision.Id()}\") {{ result {{ order {{ id ownerId total {{ amount }} }} }} {Errors} }} }}"))["order"]!;
        Assert.Equal((li, 20000m), (order["ownerId"].Str(), order["total"]!["amount"].Dec()));

        // The admin sets the plan and records a payment; the finance clerk records another.
        await admin.RunAsync($"mutation {{ setPaymentPlan(orderId: \"{order.Id()}\", instalments: [{{dueDate: \"2099-01-15\", percent: 100}}]) {{ result {{ id }} {Errors} }} }}");
        await admin.CreateAsync("Payment", new { orderId = order.Id(), amount = new { amount = 5000m }, receivedOn = "2026-01-10" });
        await finance.CreateAsync("Payment", new { orderId = order.Id(), amount = new { amount = 3000m }, receivedOn = "2026-01-12" });

        // Both commissions are 李娜's, at her 5 %: 250.00 and 150.00.
        const string Commissions = "{ commissions(orderBy: [{amount: DESC}]) { nodes { ownerId amount { amount } } } payments { nodes { ownerId } } paymentPlans { nodes { ownerId } } }";
        var credit = await admin.EventuallyAsync(Commissions, d => d["commissions"]!["nodes"]!.AsArray().Count == 2);
        Assert.Equal([(li, 250m), (li, 150m)], credit["commissions"]!["nodes"]!.AsArray().Select(c => (c!["ownerId"].Str(), c["amount"]!["amount"].Dec())));
        Assert.All(Owners(credit["payments"]!).Concat(Owners(credit["paymentPlans"]!)), owner => Assert.Equal(li, owner));

        // Collections per rep: one row, 李娜's, by name.
        var row = Assert.Single((await admin.QueryAsync("{ collections(groupBy: REP) { ownerId ownerName due received } }"))["collections"]!.AsArray())!;
        Assert.Equal((li, "李娜", 20000m, 8000m), (row["ownerId"].Str(), row["ownerName"].Str(), row["due"].Dec(), row["received"].Dec()));
    }

    [Fact]
    public async Task An_order_the_admin_makes_on_an_opportunity_is_its_owners_unless_the_admin_names_another()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (li, _) = await tenant.UserAsync("li@example.cn", "李娜");
        var (zhao, _) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        var account = (await admin.CreateAsync("Account", new { name = "苏州明德精密机械", ownerId = li })).Id();
        var opportunity = (await admin.CreateAsync("Opportunity", new { name = "明德 ERP 项目", accountId = account, ownerId = li })).Id();

        var order = await admin.CreateAsync("Order", new { accountId = account, opportunityId = opportunity }, "id ownerId");
        Assert.Equal(li, order["ownerId"].Str());
        var quote = await admin.CreateAsync("Quote", new { name = "明德 ERP 报价", accountId = account, opportunityId = opportunity }, "id ownerId");
        Assert.Equal(li, quote["ownerId"].Str());

        // An owner named explicitly stands (a hand-over, say).
        Assert.Equal(zhao, (await admin.CreateAsync("Order", new { accountId = account, opportunityId = opportunity, ownerId = zhao }, "ownerId"))["ownerId"].Str());
    }

    [Fact]
    public async Task Lines_belong_to_their_documents_owner_so_a_rep_who_sees_only_her_own_records_accepts_every_line()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        await tenant.RoleAsync("ownRep", "OWN");
        var (li, liClient) = await tenant.UserWithOnlyAsync("li@example.cn", "李娜", rep: true, "ownRep");
        var account = (await admin.CreateAsync("Account", new { name = "苏州明德精密机械", ownerId = li })).Id();
        var opportunity = (await admin.CreateAsync("Opportunity", new { name = "明德 ERP 项目", accountId = account, ownerId = li })).Id();
        var product = (await admin.CreateAsync("Product", new { name = "ERP 许可", listPrice = new { amount = 1000m }, taxRate = 0m })).Id();

        // The admin prices her quote; the lines are hers as the quote is.
        var quote = (await admin.CreateAsync("Quote", new { name = "明德 ERP 报价", accountId = account, opportunityId = opportunity, validUntil = "2099-12-31" })).Id();
        await admin.CreateAsync("QuoteLine", new { quoteId = quote, productId = product, quantity = 3m });
        await admin.CreateAsync("QuoteLine", new { quoteId = quote, productId = product, quantity = 2m });
        Assert.Equal(2, (await liClient.QueryAsync($"{{ quote(id: \"{quote}\") {{ lines {{ totalCount }} }} }}"))["quote"]!["lines"]!["totalCount"]!.GetValue<int>());

        var order = (await liClient.RunAsync($"mutation {{ acceptQuote(id: \"{quote}\") {{ result {{ order {{ ownerId total {{ amount }} lines {{ nodes {{ ownerId }} }} }} }} {Errors} }} }}"))["order"]!;
        Assert.Equal((li, 5000m), (order["ownerId"].Str(), order["total"]!["amount"].Dec()));
        Assert.Equal([li, li], Owners(order["lines"]!));
    }

    private static IEnumerable<string> Owners(JsonNode list) => list["nodes"]!.AsArray().Select(n => n!["ownerId"].Str());
}
