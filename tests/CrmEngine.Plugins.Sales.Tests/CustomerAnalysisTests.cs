using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// The 7P customer analysis on four accounts whose orders, payment and opportunities are set by hand;
/// every figure is worked out in the comments. The period is 2026 (365 days), the previous one 2025.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class CustomerAnalysisTests(SalesHost fixture)
{
    private const string Selection = """
        accounts from to previousFrom previousTo
        profiling { byIndustry { value count } byClassification { value count } byProvince { value count } byLifecycleStage { value count } }
        persistency { customers repeatCustomers repeatRate averageTenureDays activeCustomers previousCustomers retained retentionRate }
        profitability { orders revenue discounts received serviceCases revenuePerCase }
        performance { byProduct { product { name } orders quantity amount share } byChannel { value orders amount share } byRep { ownerId orders amount share } }
        prospecting { openOpportunities openPipeline weightedPipeline averageOrderValue purchaseFrequency lifespanYears lifetimeValue }
        product { crossSell { first { name } second { name } customers support confidence } }
        promotion { members responded responseRate }
        """;

    private sealed record Book(string A, string B, string C, string D);

    /// <summary>
    /// 甲 (A tier, 浙江, referral): 2025-06-01 one 许可 (1,000); 2026-03-01 two 许可 (2,000) and two 实施 at 10 % off
    /// (1,000 − 100 = 900), paid 2,900 on 2026-03-10; an open deal of 5,000 at 50 %.
    /// 乙 (B tier, 江苏, event): 2026-05-01 two 实施 (1,000); 2026-07-01 four 实施 (2,000).
    /// 丙 (A tier, 浙江): 2025-09-01 one 实施 (500); a cancelled 2026 order of five 许可.
    /// 丁 (no tier, webForm): no order; an open deal of 10,000 at 30 %.
    /// </summary>
    private static async Task<Book> SeedAsync(GraphQLClient admin)
    {
        var licence = (await admin.CreateAsync("Product", new { name = "许可", listPrice = new { amount = 1000m }, taxRate = 0m })).Id();
        var service = (await admin.CreateAsync("Product", new { name = "实施", listPrice = new { amount = 500m }, taxRate = 0m })).Id();
        async Task<string> Account(string name, string? classification, string? province, string? source, string? industry) =>
            (await admin.CreateAsync("Account", new { name, classification, province, source, industry })).Id();
        async Task<string> Order(string account, string day, params (string Product, decimal Quantity, decimal Discount)[] lines)
        {
            var order = (await admin.CreateAsync("Order", new { accountId = account, orderDate = day })).Id();
            foreach (var (product, quantity, discount) in lines)
            {
                await admin.CreateAsync("OrderLine", new { orderId = order, productId = product, quantity, discountPercent = discount });
            }

            return order;
        }

        var a = await Account("甲：华东精工", "A", "浙江", "referral", "manufacturing");
        var b = await Account("乙：杭州青禾", "B", "江苏", "event", "retail");
        var c = await Account("丙：苏州明德", "A", "浙江", null, "manufacturing");
        var d = await Account("丁：宁波东港", null, null, "webForm", null);
        await Order(a, "2025-06-01", (licence, 1, 0));
        var paid = await Order(a, "2026-03-01", (licence, 2, 0), (service, 2, 10));
        await admin.CreateAsync("Payment", new { orderId = paid, amount = new { amount = 2900m }, receivedOn = "2026-03-10" });
        await Order(b, "2026-05-01", (service, 2, 0));
        await Order(b, "2026-07-01", (service, 4, 0));
        await Order(c, "2025-09-01", (service, 1, 0));
        await admin.UpdateAsync("Order", await Order(c, "2026-02-01", (licence, 5, 0)), new { status = "cancelled" });
        await admin.CreateAsync("Opportunity", new { name = "甲 扩容", accountId = a, amount = new { amount = 5000m }, probability = 50m });
        await admin.CreateAsync("Opportunity", new { name = "丁 首单", accountId = d, amount = new { amount = 10000m }, probability = 30m });
        return new Book(a, b, c, d);
    }

    private static async Task<JsonNode> AnalyseAsync(GraphQLClient client, string arguments) =>
        (await client.QueryAsync($"{{ customerAnalysis(from: \"2026-01-01\", to: \"2026-12-31\"{arguments}) {{ {Selection} }} }}"))["customerAnalysis"]!;

    private static IEnumerable<(string?, int)> Counts(JsonNode? list) =>
        list!.AsArray().Select(c => (c!["value"]?.GetValue<string>(), c["count"]!.GetValue<int>())).OrderBy(c => c.Item1, StringComparer.Ordinal);

    private static decimal? Dec(JsonNode? node) => node?.GetValue<decimal>();

    [Fact]
    public async Task The_7P_figures_of_all_customers_match_the_ones_worked_out_by_hand()
    {
        var tenant = await fixture.TenantAsync();
        await SeedAsync(tenant.Admin);
        var all = await AnalyseAsync(tenant.Admin, "");

        Assert.Equal((4, "2025-01-01", "2025-12-31"), (all["accounts"]!.GetValue<int>(), all["previousFrom"].Str(), all["previousTo"].Str()));

        // Profiling: plain counts of the four accounts.
        var profile = all["profiling"]!;
        Assert.Equal([(null, 1), ("A", 2), ("B", 1)], Counts(profile["byClassification"]));
        Assert.Equal([(null, 1), ("manufacturing", 2), ("retail", 1)], Counts(profile["byIndustry"]));
        Assert.Equal([(null, 1), ("江苏", 1), ("浙江", 2)], Counts(profile["byProvince"]));

        // Persistency: customers 甲 乙 丙 (丁 never ordered); 甲 and 乙 ordered twice → 2 ÷ 3 = 0.6667.
        // Tenure to 2026-12-31: 甲 578 days (from 2025-06-01), 乙 244, 丙 486 → 1,308 ÷ 3 = 436.
        // 2026: 甲 乙; 2025: 甲 丙; both years: 甲 → 1 ÷ 2 = 0.5.
        var persistency = all["persistency"]!;
        Assert.Equal((3, 2, 0.6667m, 436m), (persistency["customers"]!.GetValue<int>(), persistency["repeatCustomers"]!.GetValue<int>(), Dec(persistency["repeatRate"]), Dec(persistency["averageTenureDays"])));
        Assert.Equal((2, 2, 1, 0.5m), (persistency["activeCustomers"]!.GetValue<int>(), persistency["previousCustomers"]!.GetValue<int>(), persistency["retained"]!.GetValue<int>(), Dec(persistency["retentionRate"])));

        // Profitability: 2026 orders 2,900 + 1,000 + 2,000 = 5,900 (丙's cancelled one left out), 100 discount, 2,900 paid;
        // no service module in this tenant, so no cost to serve.
        var profit = all["profitability"]!;
        Assert.Equal((3, 5900m, 100m, 2900m), (profit["orders"]!.GetValue<int>(), profit["revenue"].Dec(), profit["discounts"].Dec(), profit["received"].Dec()));
        Assert.Null(profit["serviceCases"]);
        Assert.Null(profit["revenuePerCase"]);

        // Performance: 实施 900 + 1,000 + 2,000 = 3,900 (3 lines, 8 units, 0.6610 of 5,900), 许可 2,000 (0.3390);
        // channels: event (乙) 3,000 in 2 orders = 0.5085, referral (甲) 2,900 = 0.4915; one rep (the admin) with all.
        var performance = all["performance"]!;
        Assert.Equal([("实施", 3, 8m, 3900m, 0.6610m), ("许可", 1, 2m, 2000m, 0.3390m)],
            performance["byProduct"]!.AsArray().Select(p => (p!["product"]!["name"].Str(), p["orders"]!.GetValue<int>(), p["quantity"].Dec(), p["amount"].Dec(), p["share"].Dec())));
        Assert.Equal([("event", 2, 3000m, 0.5085m), ("referral", 1, 2900m, 0.4915m)],
            performance["byChannel"]!.AsArray().Select(p => (p!["value"].Str(), p["orders"]!.GetValue<int>(), p["amount"].Dec(), p["share"].Dec())));
        var rep = Assert.Single(performance["byRep"]!.AsArray())!;
        Assert.Equal((3, 5900m, 1m), (rep["orders"]!.GetValue<int>(), rep["amount"].Dec(), rep["share"].Dec()));

        // Prospecting: open 5,000 + 10,000; weighted 2,500 + 3,000. Order value 5,900 ÷ 3 = 1,966.67;
        // 3 orders ÷ 2 customers × 365 ÷ 365 days = 1.5 a year; × 3 years → 1,966.67 × 1.5 × 3 = 8,850.015 → 8,850.02.
        var prospecting = all["prospecting"]!;
        Assert.Equal((2, 15000m, 5500m), (prospecting["openOpportunities"]!.GetValue<int>(), prospecting["openPipeline"].Dec(), prospecting["weightedPipeline"].Dec()));
        Assert.Equal((1966.67m, 1.5m, 3m, 8850.02m), (Dec(prospecting["averageOrderValue"]), Dec(prospecting["purchaseFrequency"]), prospecting["lifespanYears"].Dec(), Dec(prospecting["lifetimeValue"])));

        // Product: 许可's one buyer (甲) also bought 实施 (confidence 1); of 实施's two buyers one bought 许可 (0.5);
        // one of the two 2026 customers bought both (support 0.5).
        Assert.Equal([("许可", "实施", 1, 0.5m, 1m), ("实施", "许可", 1, 0.5m, 0.5m)],
            all["product"]!["crossSell"]!.AsArray().Select(p => (p!["first"]!["name"].Str(), p["second"]!["name"].Str(), p["customers"]!.GetValue<int>(), p["support"].Dec(), p["confidence"].Dec())));

        // Promotion: no marketing module in this tenant.
        Assert.Null(all["promotion"]);
    }

    [Fact]
    public async Task A_filter_or_one_account_narrows_every_figure_to_those_accounts()
    {
        var tenant = await fixture.TenantAsync();
        var book = await SeedAsync(tenant.Admin);

        // A-tier accounts 甲 and 丙: both customers, 甲 repeat; tenure (578 + 486) ÷ 2 = 532; 2026 only 甲 (2,900),
        // 2025 both → retained 1 of 2; one order a year of 2,900 for 3 years → 8,700; 甲's deal 5,000 at 50 %.
        var tierA = await AnalyseAsync(tenant.Admin, ", filter: \"{\\\"classification\\\": {\\\"eq\\\": \\\"A\\\"}}\"");
        var persistency = tierA["persistency"]!;
        Assert.Equal((2, 2, 1, 532m), (tierA["accounts"]!.GetValue<int>(), persistency["customers"]!.GetValue<int>(), persistency["repeatCustomers"]!.GetValue<int>(), Dec(persistency["averageTenureDays"])));
        Assert.Equal((1, 2, 1, 0.5m), (persistency["activeCustomers"]!.GetValue<int>(), persistency["previousCustomers"]!.GetValue<int>(), persistency["retained"]!.GetValue<int>(), Dec(persistency["retentionRate"])));
        Assert.Equal((2900m, 100m, 2900m), (tierA["profitability"]!["revenue"].Dec(), tierA["profitability"]!["discounts"].Dec(), tierA["profitability"]!["received"].Dec()));
        Assert.Equal((5000m, 2500m, 2900m, 1m, 8700m), (tierA["prospecting"]!["openPipeline"].Dec(), tierA["prospecting"]!["weightedPipeline"].Dec(), Dec(tierA["prospecting"]!["averageOrderValue"]), Dec(tierA["prospecting"]!["purchaseFrequency"]), Dec(tierA["prospecting"]!["lifetimeValue"])));
        Assert.Equal([("referral", 2900m, 1m)], tierA["performance"]!["byChannel"]!.AsArray().Select(p => (p!["value"].Str(), p["amount"].Dec(), p["share"].Dec())));

        // 乙 alone: two orders in 2026, none in 2025 (no retention rate); 3,000 ÷ 2 = 1,500 an order, 2 a year → 9,000 over 3 years.
        var one = await AnalyseAsync(tenant.Admin, $", accountId: \"{book.B}\"");
        Assert.Equal((1, 1, 1m, 244m), (one["accounts"]!.GetValue<int>(), one["persistency"]!["repeatCustomers"]!.GetValue<int>(), Dec(one["persistency"]!["repeatRate"]), Dec(one["persistency"]!["averageTenureDays"])));
        Assert.Equal((0, 0, (decimal?)null), (one["persistency"]!["previousCustomers"]!.GetValue<int>(), one["persistency"]!["retained"]!.GetValue<int>(), Dec(one["persistency"]!["retentionRate"])));
        Assert.Equal((3000m, 1500m, 2m, 9000m, 0m), (one["profitability"]!["revenue"].Dec(), Dec(one["prospecting"]!["averageOrderValue"]), Dec(one["prospecting"]!["purchaseFrequency"]), Dec(one["prospecting"]!["lifetimeValue"]), one["prospecting"]!["openPipeline"].Dec()));
        Assert.Empty(one["product"]!["crossSell"]!.AsArray());
    }

    [Fact]
    public async Task A_rep_sees_the_figures_of_the_accounts_the_rep_may_read()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("ownOnly", "OWN");
        var (repId, rep) = await tenant.UserWithOnlyAsync("li@example.com", "李雷", rep: true, "ownOnly");
        var mine = (await rep.CreateAsync("Account", new { name = "李雷的客户", classification = "A" })).Id();
        var product = (await rep.CreateAsync("Product", new { name = "李雷的许可", listPrice = new { amount = 1000m }, taxRate = 0m })).Id();
        await SeedAsync(tenant.Admin);
        var order = (await rep.CreateAsync("Order", new { accountId = mine, orderDate = "2026-04-01" })).Id();
        await rep.CreateAsync("OrderLine", new { orderId = order, productId = product, quantity = 3m });

        // The admin's four accounts are not the rep's: the rep's analysis has one account, one order of 3,000, by the rep.
        var figures = await AnalyseAsync(rep, "");
        Assert.Equal((1, 1, 3000m), (figures["accounts"]!.GetValue<int>(), figures["profitability"]!["orders"]!.GetValue<int>(), figures["profitability"]!["revenue"].Dec()));
        Assert.Equal([(repId, 3000m)], figures["performance"]!["byRep"]!.AsArray().Select(r => (r!["ownerId"].Str(), r["amount"].Dec())));
    }

    [Fact]
    public async Task Cost_to_serve_and_promotion_response_are_counted_when_the_tenant_has_cases_and_campaign_members()
    {
        // Not the service and marketing modules themselves: entities of the same names, which is all the analysis reads (by name).
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var book = await SeedAsync(admin);
        const string CreateEntity = "mutation($input: CreateEntityInput!) { createEntity(input: $input) { entity { name } userErrors { field code message } } }";
        static object Labels(string en, string zh) => new[] { new { locale = "en", text = en }, new { locale = "zh-CN", text = zh } };
        static object Lookup(string name, string zh) => new { name, type = "LOOKUP", lookupEntity = name, labels = Labels(name, zh) };
        await admin.MutateAsync(CreateEntity, new { input = new { name = "serviceCase", labels = Labels("Case", "服务工单"), fields = new[] { Lookup("account", "客户") } } });
        await admin.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "campaignMember",
                labels = Labels("Campaign member", "活动成员"),
                fields = new[] { Lookup("account", "客户"), Lookup("contact", "联系人"), new { name = "memberStatus", type = "TEXT", labels = Labels("Member status", "成员状态") } },
            },
        });
        foreach (var account in new[] { book.A, book.A, book.D })
        {
            await admin.CreateAsync("ServiceCase", new { accountId = account });
        }

        var contact = (await admin.CreateAsync("Contact", new { name = "乙的采购", accountId = book.B })).Id();
        await admin.CreateAsync("CampaignMember", new { accountId = book.A, memberStatus = "responded" });
        await admin.CreateAsync("CampaignMember", new { contactId = contact, memberStatus = "converted" });
        await admin.CreateAsync("CampaignMember", new { accountId = book.C, memberStatus = "sent" });
        await admin.CreateAsync("CampaignMember", new { memberStatus = "responded" });

        // The cases were opened today: in a period ending today all three count (甲 2, 丁 1); of the A tier, 甲's two.
        // Members: 甲 (responded), 乙's contact (converted), 丙 (sent); the one with neither account nor contact is no customer's.
        var today = Gql.Day(DateOnly.FromDateTime(DateTime.UtcNow));
        var window = $"from: \"{Gql.Day(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-30))}\", to: \"{today}\"";
        const string Figures = "profitability { serviceCases } promotion { members responded responseRate }";
        var all = (await admin.QueryAsync($"{{ customerAnalysis({window}) {{ {Figures} }} }}"))["customerAnalysis"]!;
        Assert.Equal((3, 3, 2, 0.6667m), (all["profitability"]!["serviceCases"]!.GetValue<int>(), all["promotion"]!["members"]!.GetValue<int>(), all["promotion"]!["responded"]!.GetValue<int>(), Dec(all["promotion"]!["responseRate"])));
        var tierA = (await admin.QueryAsync($"{{ customerAnalysis({window}, filter: \"{{\\\"classification\\\": {{\\\"eq\\\": \\\"A\\\"}}}}\") {{ {Figures} }} }}"))["customerAnalysis"]!;
        Assert.Equal((2, 2, 1, 0.5m), (tierA["profitability"]!["serviceCases"]!.GetValue<int>(), tierA["promotion"]!["members"]!.GetValue<int>(), tierA["promotion"]!["responded"]!.GetValue<int>(), Dec(tierA["promotion"]!["responseRate"])));
    }

    [Theory]
    [InlineData("accountId: \"00000000-0000-0000-0000-000000000001\"", "NOT_FOUND")]
    [InlineData("filter: \"{not json\"", "INVALID_INPUT")]
    [InlineData("filter: \"[1]\"", "INVALID_INPUT")]
    [InlineData("filter: \"{}\", accountId: \"00000000-0000-0000-0000-000000000001\"", "INVALID_INPUT")]
    [InlineData("segmentId: \"00000000-0000-0000-0000-000000000001\"", "INVALID_INPUT")]
    [InlineData("from: \"2026-05-01\", to: \"2026-01-01\"", "INVALID_INPUT")]
    [InlineData("lifespanYears: 0", "INVALID_INPUT")]
    [InlineData("top: 1", "INVALID_INPUT")]
    public async Task Bad_input_is_refused_with_a_typed_code(string arguments, string code)
    {
        var tenant = await fixture.TenantAsync();
        var refused = await tenant.Admin.PostAsync($"{{ customerAnalysis({arguments}) {{ accounts }} }}");
        Assert.Equal([code], refused.ErrorCodes);
    }
}
