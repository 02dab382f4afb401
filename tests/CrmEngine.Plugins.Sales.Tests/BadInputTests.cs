namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>Every sales mutation refuses bad input with a typed user error and writes nothing.</summary>
[Collection(SalesHostGroup.Name)]
public sealed class BadInputTests(SalesHost fixture)
{
    private const string Errors = "userErrors { field code message }";

    [Fact]
    public async Task Lead_mutations_refuse_bad_input_and_write_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        const string Capture = "mutation($i: CaptureLeadInput!) { captureLead(input: $i) { result { outcome } " + Errors + " } }";

        Assert.Equal(("INVALID_INPUT", "email"), Pick(await admin.RefusedAsync(Capture, new { i = new { name = "无联系方式", source = "webForm" } })));
        Assert.Equal("INVALID_OPTION", (await admin.RefusedAsync(Capture, new { i = new { name = "渠道不对", email = "a@b.cn", source = "carrierPigeon" } })).Code);
        Assert.Equal("INVALID_VALUE", (await admin.RefusedAsync(Capture, new { i = new { name = "邮箱不对", email = "not-an-email", source = "webForm" } })).Code);
        Assert.Equal(0, await tenant.CountAsync("leads"));

        const string Convert = "mutation($id: ID!, $amount: Decimal, $account: ID) { convertLead(id: $id, createOpportunity: true, amount: $amount, accountId: $account) { result { account { id } } " + Errors + " } }";
        Assert.Equal("INVALID_ID", (await admin.RefusedAsync(Convert, new { id = "nonsense" })).Code);
        Assert.Equal("NOT_FOUND", (await admin.RefusedAsync(Convert, new { id = Guid.CreateVersion7().ToString() })).Code);
        var lead = (await admin.RunAsync(Capture, new { i = new { name = "刘芳", company = "成都天府软件", email = "liu@tianfu.cn", source = "social" } }))["outcome"];
        Assert.Equal("CREATED", lead.Str());
        var leadId = (await admin.QueryAsync("{ leads { nodes { id } } }"))["leads"]!["nodes"]![0]!.Id();
        Assert.Equal("INVALID_INPUT", (await admin.RefusedAsync(Convert, new { id = leadId, amount = -1m })).Code);
        Assert.Equal("NOT_FOUND", (await admin.RefusedAsync(Convert, new { id = leadId, account = Guid.CreateVersion7().ToString() })).Code);
        await admin.UpdateAsync("Lead", leadId, new { status = "unqualified" });
        Assert.Equal("INVALID_STATE", (await admin.RefusedAsync(Convert, new { id = leadId })).Code);
        Assert.Equal((0, 0, 0), (await tenant.CountAsync("accounts"), await tenant.CountAsync("contacts"), await tenant.CountAsync("opportunities")));

        await admin.UpdateAsync("Lead", leadId, new { status = "qualified" });
        await admin.RunAsync(Convert, new { id = leadId });
        Assert.Equal("ALREADY_CONVERTED", (await admin.RefusedAsync(Convert, new { id = leadId })).Code);
        Assert.Equal((1, 1, 1), (await tenant.CountAsync("accounts"), await tenant.CountAsync("contacts"), await tenant.CountAsync("opportunities")));

        // Conversion is convertLead's alone.
        var other = (await admin.CreateAsync("Lead", new { name = "王五", email = "wang5@example.cn" })).Id();
        Assert.Equal(("REJECTED", "status"), Pick(await admin.RefusedAsync($"mutation {{ updateLead(id: \"{other}\", input: {{ status: \"converted\" }}) {{ lead {{ id }} {Errors} }} }}")));
    }

    [Fact]
    public async Task Pool_and_opportunity_mutations_refuse_bad_input_and_write_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (li, liClient) = await tenant.UserAsync("li@example.cn", "李娜");
        var (zhao, zhaoClient) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        var (plain, _) = await tenant.UserAsync("plain@example.cn", "行政", rep: false);
        var account = (await admin.CreateAsync("Account", new { name = "西安古城文旅", ownerId = li })).Id();
        const string Claim = "mutation($id: ID!) { claimAccount(id: $id) { result { id } " + Errors + " } }";
        const string Release = "mutation($id: ID!) { releaseAccount(id: $id) { result { id } " + Errors + " } }";
        const string Assign = "mutation($id: ID!, $u: ID!) { assignAccount(id: $id, userId: $u) { result { id } " + Errors + " } }";

        Assert.Equal("NOT_A_REP", (await admin.RefusedAsync(Claim, new { id = account })).Code);
        Assert.Equal("ALREADY_CLAIMED", (await zhaoClient.RefusedAsync(Claim, new { id = account })).Code);
        Assert.Equal("FORBIDDEN", (await zhaoClient.RefusedAsync(Release, new { id = account })).Code);
        Assert.Equal("NOT_A_REP", (await admin.RefusedAsync(Assign, new { id = account, u = plain })).Code);
        Assert.Equal("INVALID_ID", (await admin.RefusedAsync(Assign, new { id = account, u = "nobody" })).Code);
        Assert.Equal("FORBIDDEN", (await liClient.RefusedAsync(Assign, new { id = account, u = zhao })).Code);
        Assert.Equal("INVALID_STATE", (await admin.RefusedAsync(Assign, new { id = account, u = li })).Code);
        Assert.Equal(("REJECTED", "inPool"), Pick(await admin.RefusedAsync($"mutation {{ updateAccount(id: \"{account}\", input: {{ inPool: true }}) {{ account {{ id }} {Errors} }} }}")));
        await liClient.RunAsync(Release, new { id = account });
        Assert.Equal("INVALID_STATE", (await liClient.RefusedAsync(Release, new { id = account })).Code);
        Assert.Equal(1, await tenant.CountAsync("poolMoves"));

        var opportunity = (await admin.CreateAsync("Opportunity", new { name = "文旅小程序", amount = new { amount = 50000m } }, "id version")).Id();
        const string Move = "mutation($id: ID!, $s: String!, $at: DateTime, $v: Long) { moveOpportunity(id: $id, stage: $s, at: $at, version: $v) { result { id } " + Errors + " } }";
        Assert.Equal("STAGE_NOT_IN_PIPELINE", (await admin.RefusedAsync(Move, new { id = opportunity, s = "moon" })).Code);
        Assert.Equal("INVALID_STATE", (await admin.RefusedAsync(Move, new { id = opportunity, s = "won" })).Code);
        Assert.Equal("VERSION_CONFLICT", (await admin.RefusedAsync(Move, new { id = opportunity, s = "proposal", v = 99L })).Code);
        Assert.Equal(("REJECTED", "stageEnteredAt"), Pick(await admin.RefusedAsync(Move, new { id = opportunity, s = "proposal", at = Gql.Iso(DateTime.UtcNow.AddDays(2)) })));
        Assert.Equal(("REASON_REQUIRED", "reason"), Pick(await admin.RefusedAsync($"mutation {{ loseOpportunity(id: \"{opportunity}\", reason: \" \") {{ result {{ id }} {Errors} }} }}")));
        Assert.Equal("INVALID_OPTION", (await admin.RefusedAsync($"mutation {{ winOpportunity(id: \"{opportunity}\", reason: \"luck\") {{ result {{ id }} {Errors} }} }}")).Code);
        Assert.Equal(0, await tenant.CountAsync("stageHistories"));
        Assert.Equal("prospecting", (await admin.QueryAsync($"{{ opportunity(id: \"{opportunity}\") {{ stage {{ key }} }} }}"))["opportunity"]!["stage"]!["key"].Str());

        await admin.RunAsync($"mutation {{ winOpportunity(id: \"{opportunity}\") {{ result {{ id }} {Errors} }} }}");
        Assert.Equal("OPPORTUNITY_CLOSED", (await admin.RefusedAsync(Move, new { id = opportunity, s = "proposal" })).Code);
        Assert.Equal("OPPORTUNITY_CLOSED", (await admin.RefusedAsync($"mutation {{ loseOpportunity(id: \"{opportunity}\", reason: \"price\") {{ result {{ id }} {Errors} }} }}")).Code);
    }

    [Fact]
    public async Task Quote_contract_and_collection_mutations_refuse_bad_input_and_write_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (li, liClient) = await tenant.UserAsync("li@example.cn", "李娜");
        var (_, zhaoClient) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        var account = (await admin.CreateAsync("Account", new { name = "重庆山城火锅连锁", ownerId = li })).Id();
        var product = (await admin.CreateAsync("Product", new { name = "门店收银系统", listPrice = new { amount = 3000m } })).Id();
        const string Accept = "mutation($id: ID!) { acceptQuote(id: $id) { result { order { id } } " + Errors + " } }";

        var empty = (await liClient.CreateAsync("Quote", new { name = "空报价", accountId = account })).Id();
        Assert.Equal("QUOTE_EMPTY", (await liClient.RefusedAsync(Accept, new { id = empty })).Code);
        var expired = (await liClient.CreateAsync("Quote", new { name = "过期报价", accountId = account, validUntil = "2020-01-31" })).Id();
        await liClient.CreateAsync("QuoteLine", new { quoteId = expired, productId = product, quantity = 1m });
        Assert.Equal("QUOTE_EXPIRED", (await liClient.RefusedAsync(Accept, new { id = expired })).Code);
        Assert.Equal(("REJECTED", "quantity"), Pick(await liClient.RefusedAsync("mutation($i: CreateQuoteLineInput!) { createQuoteLine(input: $i) { quoteLine { id } " + Errors + " } }", new { i = new { quoteId = empty, productId = product, quantity = 0m } })));
        Assert.Equal(("COMPUTED_FIELD", "total"), Pick(await liClient.RefusedAsync("mutation($i: CreateQuoteLineInput!) { createQuoteLine(input: $i) { quoteLine { id } " + Errors + " } }", new { i = new { quoteId = empty, productId = product, quantity = 1m, total = new { amount = 1m } } })));
        var current = (await liClient.RunAsync($"mutation {{ reviseQuote(id: \"{expired}\") {{ result {{ id }} {Errors} }} }}")).Id();
        Assert.Equal("QUOTE_NOT_CURRENT", (await liClient.RefusedAsync($"mutation {{ reviseQuote(id: \"{expired}\") {{ result {{ id }} {Errors} }} }}")).Code);
        Assert.Equal("QUOTE_NOT_CURRENT", (await liClient.RefusedAsync(Accept, new { id = expired })).Code);
        Assert.Equal(("REJECTED", "status"), Pick(await liClient.RefusedAsync($"mutation {{ updateQuote(id: \"{current}\", input: {{ status: \"accepted\" }}) {{ quote {{ id }} {Errors} }} }}")));
        Assert.Equal(0, await tenant.CountAsync("orders"));

        const string Draft = "mutation($q: ID, $o: ID, $s: Date, $e: Date) { draftContract(quoteId: $q, opportunityId: $o, startDate: $s, endDate: $e) { result { id } " + Errors + " } }";
        Assert.Equal("INVALID_INPUT", (await liClient.RefusedAsync(Draft, new { })).Code);
        Assert.Equal(("INVALID_INPUT", "endDate"), Pick(await liClient.RefusedAsync(Draft, new { q = current, s = "2026-06-01", e = "2026-05-01" })));
        Assert.Equal("QUOTE_NOT_CURRENT", (await liClient.RefusedAsync(Draft, new { q = expired })).Code);
        Assert.Equal(0, await tenant.CountAsync("contracts"));
        var contract = (await liClient.RunAsync(Draft, new { q = current })).Id();
        Assert.Equal("INVALID_STATE", (await admin.RefusedAsync($"mutation {{ approveContract(id: \"{contract}\") {{ result {{ id }} {Errors} }} }}")).Code);
        Assert.Equal("FORBIDDEN", (await zhaoClient.RefusedAsync($"mutation {{ submitContract(id: \"{contract}\") {{ result {{ id }} {Errors} }} }}")).Code);
        Assert.Equal(("REJECTED", "status"), Pick(await liClient.RefusedAsync($"mutation {{ updateContract(id: \"{contract}\", input: {{ status: \"approved\" }}) {{ contract {{ id }} {Errors} }} }}")));
        await liClient.RunAsync($"mutation {{ submitContract(id: \"{contract}\") {{ result {{ id }} {Errors} }} }}");
        Assert.Equal(("REASON_REQUIRED", "comment"), Pick(await admin.RefusedAsync($"mutation {{ rejectContract(id: \"{contract}\") {{ result {{ id }} {Errors} }} }}")));
        Assert.Equal("NOT_APPROVER", (await zhaoClient.RefusedAsync($"mutation {{ approveContract(id: \"{contract}\") {{ result {{ id }} {Errors} }} }}")).Code);
        Assert.Equal(("APPROVAL_LOCKED", "amount"), Pick(await liClient.RefusedAsync($"mutation {{ updateContract(id: \"{contract}\", input: {{ amount: {{ amount: 1 }} }}) {{ contract {{ id }} {Errors} }} }}")));
        Assert.Equal(1, await tenant.CountAsync("contractApprovals"));

        // Payment plans: instalments that don't add up to the order's total (3,390.00), or half-specified, are refused.
        await liClient.UpdateAsync("Quote", current, new { validUntil = "2099-12-31" });
        var order = (await liClient.RunAsync(Accept, new { id = current }))["order"]!.Id();
        const string Plan = "mutation($o: ID!, $p: [InstalmentInput!]!) { setPaymentPlan(orderId: $o, instalments: $p) { result { id } " + Errors + " } }";
        Assert.Equal("AMOUNT_MISMATCH", (await liClient.RefusedAsync(Plan, new { o = order, p = new[] { new { dueDate = "2026-01-01", amount = 1000m } } })).Code);
        Assert.Equal("INVALID_INPUT", (await liClient.RefusedAsync(Plan, new { o = order, p = new[] { new { dueDate = "2026-01-01", amount = 3390m, percent = 100m } } })).Code);
        Assert.Equal("INVALID_INPUT", (await liClient.RefusedAsync(Plan, new { o = order, p = Array.Empty<object>() })).Code);
        Assert.Equal("INVALID_ID", (await liClient.RefusedAsync(Plan, new { o = "x", p = new[] { new { dueDate = "2026-01-01", percent = 100m } } })).Code);
        Assert.Equal(0, await tenant.CountAsync("paymentPlans"));
        Assert.Equal(("REJECTED", "amount"), Pick(await liClient.RefusedAsync("mutation($i: CreatePaymentInput!) { createPayment(input: $i) { payment { id } " + Errors + " } }", new { i = new { orderId = order, amount = new { amount = 0m }, receivedOn = "2026-01-01" } })));
        Assert.Equal(("COMPUTED_FIELD", "receivedAmount"), Pick(await liClient.RefusedAsync($"mutation {{ updateOrder(id: \"{order}\", input: {{ receivedAmount: {{ amount: 3390 }} }}) {{ order {{ id }} {Errors} }} }}")));
        Assert.Equal(0, await tenant.CountAsync("payments"));
    }

    private static (string Code, string? Field) Pick(UserError refusal) => (refusal.Code, refusal.Field);
}
