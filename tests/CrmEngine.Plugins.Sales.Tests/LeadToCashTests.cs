using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// The whole lead-to-cash story over GraphQL, as reps, a manager and an integration would run it,
/// with every figure checked against values worked out by hand in the comments.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class LeadToCashTests(SalesHost fixture)
{
    private const string Capture = """
        mutation($i: CaptureLeadInput!) { captureLead(input: $i) { result { outcome matchedOn lead { id name ownerId duplicateCount score grade status email phoneKey companyKey } duplicateOf { id } account { id } } userErrors { field code message } } }
        """;

    private const string LineFields = "id amount { amount } discountAmount { amount } taxAmount { amount } total { amount }";
    private const string QuoteFields = "id number status revision subtotal { amount } discountTotal { amount } taxTotal { amount } total { amount }";

    [Fact]
    public async Task A_lead_goes_from_capture_to_cash_and_every_figure_is_exact()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (wang, wangClient) = await tenant.UserAsync("wang@example.cn", "王经理", rep: false);
        var (li, liClient) = await tenant.UserAsync("li@example.cn", "李娜", commissionRate: 5m);
        var (zhao, zhaoClient) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        await tenant.TeamAsync("华东销售部", wang, li, zhao);
        var now = DateTime.UtcNow;
        now = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc);

        // Capture from the web form, then the same person again from an event: merged, not duplicated.
        var first = (await admin.RunAsync(Capture, new { i = new { name = "陈静", company = "上海星辰科技有限公司", email = "chen.jing@xingchen.cn", phone = "+86 138-0013-8000", title = "IT 总监", source = "webForm" } }));
        Assert.Equal("CREATED", first["outcome"].Str());
        var lead = first["lead"]!;
        var repA = lead["ownerId"].Str();
        Assert.Contains(repA, new[] { li, zhao });
        // Score: e-mail 15 + phone 15 + company 10 + title 10 + web form 15 = 65 → grade B (40 ≤ 65 < 70).
        Assert.Equal((65, "B"), (lead["score"]!.GetValue<int>(), lead["grade"].Str()));
        Assert.Equal(("13800138000", "上海星辰科技"), (lead["phoneKey"].Str(), lead["companyKey"].Str()));

        var again = await admin.RunAsync(Capture, new { i = new { name = "陈静", company = "上海星辰科技", email = " CHEN.JING@xingchen.cn", phone = "13800138000", source = "event" } });
        Assert.Equal("MERGED", again["outcome"].Str());
        Assert.Equal(lead.Id(), again["lead"]!.Id());
        Assert.Equal(1, again["lead"]!["duplicateCount"]!.GetValue<int>());
        Assert.Equal(["email", "phone", "company"], again["matchedOn"]!.AsArray().Select(m => m.Str()));
        Assert.Equal(1, await tenant.CountAsync("leads"));

        // A second, different lead goes to the other rep (round robin).
        var second = await admin.RunAsync(Capture, new { i = new { name = "周洋", company = "北京远航物流", email = "zhou@yuanhang.com", source = "referral" } });
        Assert.Equal("CREATED", second["outcome"].Str());
        Assert.NotEqual(repA, second["lead"]!["ownerId"].Str());
        var repAClient = repA == li ? liClient : zhaoClient;

        // Follow up: the lead becomes contacted, and the next follow-up is due in two days.
        var nextContact = now.AddDays(2);
        await repAClient.CreateAsync("Activity", new { subject = "首次电话沟通", type = "call", notes = "需求：销售管理系统，预算约 10 万", leadId = lead.Id(), nextContactAt = Gql.Iso(nextContact) });
        var followed = (await admin.QueryAsync($"{{ lead(id: \"{lead.Id()}\") {{ status lastActivityAt nextFollowUpAt }} }}"))["lead"]!;
        Assert.Equal("contacted", followed["status"].Str());
        var overdue = (await repAClient.QueryAsync($"{{ overdueFollowUps(asOf: \"{Gql.Iso(now.AddDays(3))}\") {{ ownerId items {{ entity daysOverdue lead {{ id }} }} }} }}"))["overdueFollowUps"]!.AsArray();
        Assert.Equal(repA, Assert.Single(overdue)!["ownerId"].Str());
        Assert.Equal(("lead", 1, lead.Id()), (overdue[0]!["items"]![0]!["entity"].Str(), overdue[0]!["items"]![0]!["daysOverdue"]!.GetValue<int>(), overdue[0]!["items"]![0]!["lead"]!.Id()));
        Assert.Empty((await repAClient.QueryAsync($"{{ overdueFollowUps(asOf: \"{Gql.Iso(now.AddDays(1))}\") {{ ownerId }} }}"))["overdueFollowUps"]!.AsArray());

        // Qualify and convert: account, contact and opportunity at once, all owned by the lead's rep, links kept.
        await repAClient.UpdateAsync("Lead", lead.Id(), new { status = "qualified" });
        var converted = await repAClient.RunAsync("""
            mutation($id: ID!) { convertLead(id: $id, createOpportunity: true, opportunityName: "星辰科技 CRM 项目", amount: 100000, expectedCloseDate: "2099-12-31") {
              result { lead { status convertedAccount { id } convertedContact { id } convertedOpportunity { id } }
                       account { id name ownerId lifecycleStage activities { totalCount } }
                       contact { id name email account { id } }
                       opportunity { id ownerId amount { amount currency } probability status stage { key } account { id } } }
              userErrors { field code message } } }
            """, new { id = lead.Id() });
        var account = converted["account"]!;
        var opportunity = converted["opportunity"]!;
        Assert.Equal(("converted", account.Id(), converted["contact"]!.Id(), opportunity.Id()), (converted["lead"]!["status"].Str(), converted["lead"]!["convertedAccount"]!.Id(), converted["lead"]!["convertedContact"]!.Id(), converted["lead"]!["convertedOpportunity"]!.Id()));
        Assert.Equal(("上海星辰科技有限公司", repA, "contacted", 1), (account["name"].Str(), account["ownerId"].Str(), account["lifecycleStage"].Str(), account["activities"]!["totalCount"]!.GetValue<int>()));
        Assert.Equal(account.Id(), converted["contact"]!["account"]!.Id());
        Assert.Equal(("prospecting", 10m, "open", repA, 100000m, "CNY"), (opportunity["stage"]!["key"].Str(), opportunity["probability"].Dec(), opportunity["status"].Str(), opportunity["ownerId"].Str(), opportunity["amount"]!["amount"].Dec(), opportunity["amount"]!["currency"].Str()));

        // Through the stages; each move takes the stage's default probability and is in the stage history.
        foreach (var (stage, probability) in new[] { ("needsAnalysis", 25m), ("proposal", 50m) })
        {
            var moved = await repAClient.RunAsync("mutation($id: ID!, $s: String!) { moveOpportunity(id: $id, stage: $s) { result { probability stage { key } } userErrors { field code message } } }", new { id = opportunity.Id(), s = stage });
            Assert.Equal((stage, probability), (moved["stage"]!["key"].Str(), moved["probability"].Dec()));
        }

        var history = (await admin.QueryAsync($"{{ opportunity(id: \"{opportunity.Id()}\") {{ stageHistory(orderBy: [{{enteredAt: ASC}}]) {{ nodes {{ stage {{ key }} leftAt daysInStage }} }} }} }}"))["opportunity"]!["stageHistory"]!["nodes"]!.AsArray();
        Assert.Equal(["prospecting", "needsAnalysis", "proposal"], history.Select(h => h!["stage"]!["key"].Str()));
        Assert.Null(history[2]!["leftAt"]);

        // Quote: P1 3 × 10,000 less 10 %, VAT 13 % → 30,000.00 − 3,000.00 + 3,510.00 = 30,510.00;
        //        P2 5 × 2,000, VAT 6 % → 10,000.00 + 600.00 = 10,600.00. Quote: 40,000.00 − 3,000.00 + 4,110.00 = 41,110.00.
        var software = await admin.CreateAsync("Product", new { name = "销售云 CRM 软件许可", code = "CRM-LIC", listPrice = new { amount = 10000m }, taxRate = 13m });
        var service = await admin.CreateAsync("Product", new { name = "实施服务（人天）", code = "SRV-DAY", listPrice = new { amount = 2000m }, taxRate = 6m });
        var quote = await repAClient.CreateAsync("Quote", new { name = "星辰科技 CRM 报价", accountId = account.Id(), opportunityId = opportunity.Id() }, QuoteFields);
        var l1 = await repAClient.CreateAsync("QuoteLine", new { quoteId = quote.Id(), productId = software.Id(), quantity = 3m, discountPercent = 10m, sortOrder = 1 }, LineFields);
        Assert.Equal((30000m, 3000m, 3510m, 30510m), Figures(l1));
        await repAClient.CreateAsync("QuoteLine", new { quoteId = quote.Id(), productId = service.Id(), quantity = 5m, sortOrder = 2 }, LineFields);
        quote = await Read(admin, "quote", quote.Id(), QuoteFields);
        Assert.Equal((40000m, 3000m, 4110m, 41110m), Totals(quote));
        Assert.Matches(@"^QUO-\d{4}-0001$", quote["number"].Str());
        Assert.Equal("COMPUTED_FIELD", (await admin.RefusedAsync($"mutation {{ updateQuote(id: \"{quote.Id()}\", input: {{ total: {{ amount: 1 }} }}) {{ quote {{ id }} userErrors {{ field code message }} }} }}")).Code);

        // Sent, then revised: revision 2 supersedes it, and the old revision's lines are fixed.
        await repAClient.UpdateAsync("Quote", quote.Id(), new { status = "sent" });
        var revision = await repAClient.RunAsync($"mutation {{ reviseQuote(id: \"{quote.Id()}\") {{ result {{ {QuoteFields} previousRevision {{ id }} lines(orderBy: [{{sortOrder: ASC}}]) {{ nodes {{ id }} }} }} userErrors {{ field code message }} }} }}");
        Assert.Equal((2, "draft", quote.Id()), (revision["revision"]!.GetValue<int>(), revision["status"].Str(), revision["previousRevision"]!.Id()));
        Assert.Equal((40000m, 3000m, 4110m, 41110m), Totals(revision));
        Assert.Equal("superseded", (await Read(admin, "quote", quote.Id(), "status"))["status"].Str());
        Assert.Equal("REJECTED", (await repAClient.RefusedAsync($"mutation {{ updateQuoteLine(id: \"{l1.Id()}\", input: {{ quantity: 9 }}) {{ quoteLine {{ id }} userErrors {{ field code message }} }} }}")).Code);

        // Revision 2: P2 4 × 2,000 less 5 % → 8,000.00 − 400.00 + 456.00 = 8,056.00; a new line 1,999.99 less 12.5 %:
        // discount 249.99875 → 250.00, net 1,749.99, VAT 6 % 104.9994 → 105.00, total 1,854.99.
        // Revision 2: 39,999.99 − 3,650.00 + 4,071.00 = 40,420.99.
        var serviceLine = revision["lines"]!["nodes"]![1]!.Id();
        await repAClient.UpdateAsync("QuoteLine", serviceLine, new { quantity = 4m, discountPercent = 5m });
        var odd = await repAClient.CreateAsync("QuoteLine", new { quoteId = revision.Id(), productId = service.Id(), description = "加急现场支持", quantity = 1m, unitPrice = new { amount = 1999.99m }, discountPercent = 12.5m, sortOrder = 3 }, LineFields);
        Assert.Equal((1999.99m, 250.00m, 105.00m, 1854.99m), Figures(odd));
        revision = await Read(admin, "quote", revision.Id(), QuoteFields);
        Assert.Equal((39999.99m, 3650.00m, 4071.00m, 40420.99m), Totals(revision));

        // Accepting the superseded revision is refused; accepting the current one creates the order.
        Assert.Equal("QUOTE_NOT_CURRENT", (await repAClient.RefusedAsync($"mutation {{ acceptQuote(id: \"{quote.Id()}\") {{ result {{ order {{ id }} }} userErrors {{ field code message }} }} }}")).Code);
        var accepted = await repAClient.RunAsync($"mutation {{ acceptQuote(id: \"{revision.Id()}\") {{ result {{ quote {{ status }} order {{ id number ownerId total {{ amount }} taxTotal {{ amount }} paymentStatus lines {{ totalCount }} account {{ lifecycleStage customerSince }} }} }} userErrors {{ field code message }} }} }}");
        var order = accepted["order"]!;
        Assert.Equal(("accepted", 40420.99m, 4071.00m, 3, "unpaid", repA), (accepted["quote"]!["status"].Str(), order["total"]!["amount"].Dec(), order["taxTotal"]!["amount"].Dec(), order["lines"]!["totalCount"]!.GetValue<int>(), order["paymentStatus"].Str(), order["ownerId"].Str()));
        Assert.Equal("converted", order["account"]!["lifecycleStage"].Str());

        // The contract goes through approval: the rep can't approve their own; their team manager does.
        var contract = await repAClient.RunAsync($"mutation {{ draftContract(quoteId: \"{revision.Id()}\", startDate: \"2026-01-01\", endDate: \"2026-12-31\") {{ result {{ id status amount {{ amount }} }} userErrors {{ field code message }} }} }}");
        Assert.Equal(("draft", 40420.99m), (contract["status"].Str(), contract["amount"]!["amount"].Dec()));
        await repAClient.RunAsync($"mutation {{ submitContract(id: \"{contract.Id()}\") {{ result {{ status }} userErrors {{ field code message }} }} }}");
        Assert.Equal("NOT_APPROVER", (await repAClient.RefusedAsync($"mutation {{ approveContract(id: \"{contract.Id()}\") {{ result {{ id }} userErrors {{ field code message }} }} }}")).Code);
        var approved = await wangClient.RunAsync($"mutation {{ approveContract(id: \"{contract.Id()}\", comment: \"同意\") {{ result {{ status decisionComment approvals {{ nodes {{ action createdBy }} }} }} userErrors {{ field code message }} }} }}");
        Assert.Equal(("approved", "同意"), (approved["status"].Str(), approved["decisionComment"].Str()));
        Assert.Equal([("submitted", repA), ("approved", wang)], approved["approvals"]!["nodes"]!.AsArray().Select(a => (a!["action"].Str(), a["createdBy"].Str())));

        // Payment plan: 30 % and 70 % of 40,420.99 → 12,126.297 and 28,294.693, split to the cent without
        // losing one: 12,126.30 and 28,294.69. The first instalment is already due.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
        var plans = (await repAClient.RunAsync("mutation($o: ID!, $p: [InstalmentInput!]!) { setPaymentPlan(orderId: $o, instalments: $p) { result { id instalment amount { amount } status } userErrors { field code message } } }",
            new { o = order.Id(), p = new object[] { new { dueDate = Gql.Day(today.AddDays(-10)), percent = 30m }, new { dueDate = Gql.Day(today.AddDays(20)), percent = 70m } } })).AsArray();
        Assert.Equal([12126.30m, 28294.69m], plans.Select(p => p!["amount"]!["amount"].Dec()));

        // Payments: 10,000.00 then 15,000.00 fill the instalments in due order.
        var p1 = await repAClient.CreateAsync("Payment", new { orderId = order.Id(), amount = new { amount = 10000m }, receivedOn = Gql.Day(today.AddDays(-5)), method = "bankTransfer" });
        var collections = await Collections(repAClient, "ORDER");
        Assert.Equal((40420.99m, 10000m, 30420.99m, 2126.30m), collections);
        var p2 = await repAClient.CreateAsync("Payment", new { orderId = order.Id(), amount = new { amount = 15000m }, receivedOn = Gql.Day(today.AddDays(-1)), method = "wechatPay" });
        Assert.Equal((40420.99m, 25000m, 15420.99m, 0m), await Collections(repAClient, "ACCOUNT"));
        var planStates = (await admin.QueryAsync($"{{ paymentPlans(orderBy: [{{instalment: ASC}}]) {{ nodes {{ receivedAmount {{ amount }} outstandingAmount {{ amount }} status }} }} }}"))["paymentPlans"]!["nodes"]!.AsArray();
        Assert.Equal([(12126.30m, 0m, "paid"), (12873.70m, 15420.99m, "partial")], planStates.Select(p => (p!["receivedAmount"]!["amount"].Dec(), p["outstandingAmount"]!["amount"].Dec(), p["status"].Str())));

        // More than is outstanding (15,420.99) is refused and nothing moves.
        Assert.Equal("EXCEEDS_OUTSTANDING", (await repAClient.RefusedAsync("mutation($i: CreatePaymentInput!) { createPayment(input: $i) { payment { id } userErrors { field code message } } }", new { i = new { orderId = order.Id(), amount = new { amount = 15421m }, receivedOn = Gql.Day(today) } })).Code);
        Assert.Equal(2, await tenant.CountAsync("payments"));

        // Commissions at 李娜's 5 % if she is the rep, else the 3 % default: after commit, per payment.
        var rate = repA == li ? 5m : 3m;
        const string Commissions = "{ commissions(orderBy: [{createdAt: ASC}]) { nodes { id amount { amount } kind status ownerId payment { id } } } }";
        var commissions = (await admin.EventuallyAsync(Commissions, d => d["commissions"]!["nodes"]!.AsArray().Count == 2))["commissions"]!["nodes"]!.AsArray();
        Assert.Equal([10000m * rate / 100m, 15000m * rate / 100m], commissions.Select(c => c!["amount"]!["amount"].Dec()));
        Assert.All(commissions, c => Assert.Equal(repA, c!["ownerId"].Str()));

        // Corrections: payment 2 becomes 14,000.00 (its pending commission follows); payment 1's commission
        // is paid out, then payment 1 becomes 9,000.00: the difference is a pending adjustment.
        await repAClient.UpdateAsync("Payment", p2.Id(), new { amount = new { amount = 14000m } });
        var p1Commission = commissions.Single(c => c!["payment"]!.Id() == p1.Id())!.Id();
        await admin.UpdateAsync("Commission", p1Commission, new { status = "paid" });
        await repAClient.UpdateAsync("Payment", p1.Id(), new { amount = new { amount = 9000m } });
        commissions = (await admin.EventuallyAsync(Commissions, d => d["commissions"]!["nodes"]!.AsArray().Count == 3 && d["commissions"]!["nodes"]![1]!["amount"]!["amount"].Dec() == 14000m * rate / 100m))["commissions"]!["nodes"]!.AsArray();
        Assert.Equal([(10000m * rate / 100m, "original", "paid"), (14000m * rate / 100m, "original", "pending"), (-1000m * rate / 100m, "adjustment", "pending")],
            commissions.Select(c => (c!["amount"]!["amount"].Dec(), c["kind"].Str(), c["status"].Str())));
        var total = (await admin.QueryAsync("{ commissionsAggregate { sum { amount } } }"))["commissionsAggregate"]!["sum"]!["amount"].Dec();
        Assert.Equal(23000m * rate / 100m, total);

        // The opportunity is won; the 360° view adds it all up: order 40,420.99, received 23,000.00,
        // outstanding 17,420.99, none overdue (the due instalment is paid), won 100,000.00.
        await repAClient.RunAsync($"mutation {{ moveOpportunity(id: \"{opportunity.Id()}\", stage: \"negotiation\") {{ result {{ id }} userErrors {{ field code message }} }} }}");
        var won = await repAClient.RunAsync($"mutation {{ winOpportunity(id: \"{opportunity.Id()}\", reason: \"quoteAccepted\") {{ result {{ status probability forecastCategory closedOn wonReason }} userErrors {{ field code message }} }} }}");
        Assert.Equal(("won", 100m, "closed", Gql.Day(today)), (won["status"].Str(), won["probability"].Dec(), won["forecastCategory"].Str(), won["closedOn"].Str()));
        var view = (await repAClient.QueryAsync($"{{ account360(id: \"{account.Id()}\") {{ account {{ name }} contacts {{ name }} activities {{ subject }} opportunities {{ status }} quotes {{ revision }} orders {{ number }} contracts {{ status }} payments {{ amount {{ amount }} }} summary {{ orderCount orderAmount received outstanding overdue openOpportunities openPipeline wonAmount }} }} }}"))["account360"]!;
        var summary = view["summary"]!;
        Assert.Equal((1, 40420.99m, 23000m, 17420.99m, 0m, 0, 0m, 100000m), (summary["orderCount"]!.GetValue<int>(), summary["orderAmount"].Dec(), summary["received"].Dec(), summary["outstanding"].Dec(), summary["overdue"].Dec(), summary["openOpportunities"]!.GetValue<int>(), summary["openPipeline"].Dec(), summary["wonAmount"].Dec()));
        Assert.Equal((1, 1, 2, 1, 2), (view["contacts"]!.AsArray().Count, view["activities"]!.AsArray().Count, view["quotes"]!.AsArray().Count, view["contracts"]!.AsArray().Count, view["payments"]!.AsArray().Count));

        // Customer statistics: one customer, 40,420.99 bought and 23,000.00 paid; the software sold most
        // (30,510.00 against the service's 8,056.00 + 1,854.99 = 9,910.99, 4 + 1 = 5 days).
        var stats = (await admin.QueryAsync("{ customerStatistics(period: MONTH) { customers { account { name } orderCount orderAmount received firstOrderOn } longestStanding { name } products { product { code } quantity amount } payments { period count amount } } }"))["customerStatistics"]!;
        var customer = Assert.Single(stats["customers"]!.AsArray())!;
        Assert.Equal(("上海星辰科技有限公司", 1, 40420.99m, 23000m, Gql.Day(today)), (customer["account"]!["name"].Str(), customer["orderCount"]!.GetValue<int>(), customer["orderAmount"].Dec(), customer["received"].Dec(), customer["firstOrderOn"].Str()));
        Assert.Equal(["上海星辰科技有限公司"], stats["longestStanding"]!.AsArray().Select(a => a!["name"].Str()));
        Assert.Equal([("CRM-LIC", 3m, 30510m), ("SRV-DAY", 5m, 9910.99m)], stats["products"]!.AsArray().Select(p => (p!["product"]!["code"].Str(), p["quantity"].Dec(), p["amount"].Dec())));
        var expectedPayments = new[] { (today.AddDays(-5), 9000m), (today.AddDays(-1), 14000m) }
            .GroupBy(p => $"{p.Item1:yyyy-MM}").Select(g => (g.Key, g.Count(), g.Sum(p => p.Item2))).OrderBy(g => g.Key, StringComparer.Ordinal);
        Assert.Equal(expectedPayments, stats["payments"]!.AsArray().Select(p => (p!["period"].Str(), p["count"]!.GetValue<int>(), p["amount"].Dec())));

        // The manager was told nothing; the rep was told the contract was approved.
        var notes = (await repAClient.QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray().Select(n => n!["message"].Str()).ToList();
        Assert.Contains(notes, n => n.Contains("已批准", StringComparison.Ordinal));
    }

    private static (decimal, decimal, decimal, decimal) Figures(JsonNode line) =>
        (line["amount"]!["amount"].Dec(), line["discountAmount"]!["amount"].Dec(), line["taxAmount"]!["amount"].Dec(), line["total"]!["amount"].Dec());

    private static (decimal, decimal, decimal, decimal) Totals(JsonNode quote) =>
        (quote["subtotal"]!["amount"].Dec(), quote["discountTotal"]!["amount"].Dec(), quote["taxTotal"]!["amount"].Dec(), quote["total"]!["amount"].Dec());

    private static async Task<JsonNode> Read(GraphQLClient client, string entity, string id, string selection) =>
        (await client.QueryAsync($"{{ {entity}(id: \"{id}\") {{ {selection} }} }}"))[entity]!;

    private static async Task<(decimal, decimal, decimal, decimal)> Collections(GraphQLClient client, string groupBy)
    {
        var row = Assert.Single((await client.QueryAsync($"{{ collections(groupBy: {groupBy}) {{ due received outstanding overdue }} }}"))["collections"]!.AsArray())!;
        return (row["due"].Dec(), row["received"].Dec(), row["outstanding"].Dec(), row["overdue"].Dec());
    }
}
