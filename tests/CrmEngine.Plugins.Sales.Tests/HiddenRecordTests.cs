using static CrmEngine.Plugins.Sales.Tests.ScopedDesk;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// A rep (or a manager) whose role reads only their own or their team's records, naming a record of
/// another rep in any sales operation, or as the lookup of a write the plugin's hooks act on, gets
/// exactly the answer a made-up id gets: same code, same message shape, byte for byte once the id is
/// taken out. Nothing is written to the hidden records.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class HiddenRecordTests(SalesHost fixture)
{
    private const string Errors = "userErrors { field code message }";

    [Theory]
    [InlineData("OWN")]
    [InlineData("TEAM")]
    public async Task Pool_operations_on_someone_elses_account_answer_exactly_as_a_made_up_id(string scope)
    {
        var desk = await OpenAsync(fixture, scope);
        var account = desk.Hidden["account"];
        var before = await desk.HiddenVersionsAsync();

        await AnswersAsMadeUpAsync(desk.LiClient, $"mutation($id: ID!) {{ claimAccount(id: $id) {{ result {{ id name }} {Errors} }} }}", "account", account, id => new { id });
        await AnswersAsMadeUpAsync(desk.LiClient, $"mutation($id: ID!) {{ releaseAccount(id: $id, note: \"不跟了\") {{ result {{ id name }} {Errors} }} }}", "account", account, id => new { id });
        // Her manager may assign to her, but not take an account he can't see from another team.
        await AnswersAsMadeUpAsync(desk.WangClient, $"mutation($id: ID!, $u: ID!) {{ assignAccount(id: $id, userId: $u) {{ result {{ id name }} {Errors} }} }}", "account", account, id => new { id, u = desk.Li });

        Assert.Equal(before, await desk.HiddenVersionsAsync());
        Assert.Equal(0, await desk.Tenant.CountAsync("poolMoves"));
    }

    [Theory]
    [InlineData("OWN")]
    [InlineData("TEAM")]
    public async Task Lead_operations_naming_or_matching_someone_elses_records_answer_exactly_as_made_up_ids(string scope)
    {
        var desk = await OpenAsync(fixture, scope);
        var before = await desk.HiddenVersionsAsync();
        var own = (await desk.Admin.CreateAsync("Lead", new { name = "陈静", company = "上海云帆医疗器械", email = "chen.jing@yunfan.cn", status = "qualified", ownerId = desk.Li })).Id();
        var pipeline = (await desk.Admin.QueryAsync("{ pipelines { nodes { id } } }"))["pipelines"]!["nodes"]![0]!.Id();
        const string Convert = "mutation($id: ID!, $account: ID, $pipeline: ID) { convertLead(id: $id, accountId: $account, pipelineId: $pipeline, createOpportunity: true) { result { account { id name } } " + Errors + " } }";

        await AnswersAsMadeUpAsync(desk.LiClient, Convert, "lead", desk.Hidden["lead"], id => new { id });
        await AnswersAsMadeUpAsync(desk.LiClient, Convert, "account", desk.Hidden["account"], id => new { id = own, account = id });
        await AnswersAsMadeUpAsync(desk.LiClient, Convert, "pipeline", pipeline, id => new { id = own, pipeline = id });

        // A capture of 赵磊's contact at his customer matches nothing she can see: it answers as a capture of a stranger.
        const string Capture = "mutation($i: CaptureLeadInput!) { captureLead(input: $i) { result { outcome matchedOn duplicateOf { id } relatedLead { id } account { id } } " + Errors + " } }";
        var known = await desk.LiClient.PostAsync(Capture, new { i = new { name = "周明", company = "深圳市星辰科技有限公司", email = "zhou.ming@xingchen.cn", source = "webForm" } });
        var stranger = await desk.LiClient.PostAsync(Capture, new { i = new { name = "吴昊", company = "成都天府软件", email = "wu.hao@tianfu.cn", source = "webForm" } });
        Assert.Contains("\"outcome\":\"CREATED\"", stranger.Raw, StringComparison.Ordinal);
        Assert.Equal(stranger.Raw, known.Raw);

        Assert.Equal(before, await desk.HiddenVersionsAsync());
        Assert.Equal("qualified", (await desk.Admin.QueryAsync($"{{ lead(id: \"{own}\") {{ status }} }}"))["lead"]!["status"].Str());
        Assert.Equal(0, await desk.Tenant.CountAsync("contacts"));
    }

    [Theory]
    [InlineData("OWN")]
    [InlineData("TEAM")]
    public async Task Deal_operations_on_someone_elses_records_answer_exactly_as_made_up_ids(string scope)
    {
        var desk = await OpenAsync(fixture, scope);
        var li = desk.LiClient;
        var (hidden, before) = (desk.Hidden, await desk.HiddenVersionsAsync());

        await AnswersAsMadeUpAsync(li, $"mutation($id: ID!) {{ reviseQuote(id: $id) {{ result {{ id }} {Errors} }} }}", "quote", hidden["quote"], id => new { id });
        await AnswersAsMadeUpAsync(li, $"mutation($id: ID!) {{ acceptQuote(id: $id) {{ result {{ order {{ id }} }} {Errors} }} }}", "quote", hidden["draftQuote"], id => new { id });
        await AnswersAsMadeUpAsync(li, $"mutation($id: ID) {{ draftContract(quoteId: $id) {{ result {{ id }} {Errors} }} }}", "quote", hidden["quote"], id => new { id });
        await AnswersAsMadeUpAsync(li, $"mutation($id: ID) {{ draftContract(opportunityId: $id) {{ result {{ id }} {Errors} }} }}", "opportunity", hidden["opportunity"], id => new { id });
        foreach (var step in new[] { "submitContract(id: $id)", "approveContract(id: $id)", "rejectContract(id: $id, comment: \"价格不对\")" })
        {
            await AnswersAsMadeUpAsync(desk.WangClient, $"mutation($id: ID!) {{ {step} {{ result {{ id status }} {Errors} }} }}", "contract", hidden["contract"], id => new { id });
        }

        await AnswersAsMadeUpAsync(li, $"mutation($id: ID!) {{ setPaymentPlan(orderId: $id, instalments: [{{dueDate: \"2099-01-01\", percent: 100}}]) {{ result {{ id }} {Errors} }} }}", "order", hidden["order"], id => new { id });
        foreach (var move in new[] { "moveOpportunity(id: $id, stage: \"proposal\")", "winOpportunity(id: $id)", "loseOpportunity(id: $id, reason: \"price\")" })
        {
            await AnswersAsMadeUpAsync(li, $"mutation($id: ID!) {{ {move} {{ result {{ id status }} {Errors} }} }}", "opportunity", hidden["opportunity"], id => new { id });
        }

        await AnswersAsMadeUpAsync(li, "query($id: ID!) { account360(id: $id) { account { name } summary { orderAmount } } }", "account", hidden["account"], id => new { id });
        Assert.Equal(before, await desk.HiddenVersionsAsync());
        Assert.Equal((1, 0), (await desk.Tenant.CountAsync("contracts"), await desk.Tenant.CountAsync("paymentPlans")));
    }

    [Theory]
    [InlineData("OWN")]
    [InlineData("TEAM")]
    public async Task Writes_pointing_at_someone_elses_records_answer_exactly_as_made_up_ids_before_any_hook_acts(string scope)
    {
        var desk = await OpenAsync(fixture, scope);
        var li = desk.LiClient;
        var (hidden, before) = (desk.Hidden, await desk.HiddenVersionsAsync());
        static string Create(string type) => $"mutation($i: Create{type}Input!) {{ create{type}(input: $i) {{ {char.ToLowerInvariant(type[0])}{type[1..]} {{ id }} {Errors} }} }}";

        // Payments: more than the order's total, or against a cancelled order, must not say so.
        await AnswersAsMadeUpAsync(li, Create("Payment"), "order", hidden["order"], id => new { i = new { orderId = id, amount = new { amount = 999999999m }, receivedOn = "2026-01-10" } });
        await AnswersAsMadeUpAsync(li, Create("Payment"), "order", hidden["cancelledOrder"], id => new { i = new { orderId = id, amount = new { amount = 1m }, receivedOn = "2026-01-10" } });
        await AnswersAsMadeUpAsync(li, Create("PaymentPlan"), "order", hidden["order"], id => new { i = new { orderId = id, dueDate = "2099-01-01", amount = new { amount = 1m } } });

        // Lines: not that the quote is accepted, nor (by refusing the quantity) that a draft exists, nor that an order is cancelled.
        await AnswersAsMadeUpAsync(li, Create("QuoteLine"), "quote", hidden["quote"], id => new { i = new { quoteId = id, quantity = 1m } });
        await AnswersAsMadeUpAsync(li, Create("QuoteLine"), "quote", hidden["draftQuote"], id => new { i = new { quoteId = id, quantity = 0m } });
        await AnswersAsMadeUpAsync(li, Create("OrderLine"), "order", hidden["cancelledOrder"], id => new { i = new { orderId = id, quantity = 1m } });

        // Follow-ups, orders, quotes and opportunities on someone else's records.
        await AnswersAsMadeUpAsync(li, Create("Activity"), "account", hidden["account"], id => new { i = new { subject = "拜访", accountId = id } });
        await AnswersAsMadeUpAsync(li, Create("Activity"), "lead", hidden["lead"], id => new { i = new { subject = "电话", leadId = id } });
        await AnswersAsMadeUpAsync(li, Create("Activity"), "opportunity", hidden["opportunity"], id => new { i = new { subject = "方案", opportunityId = id } });
        await AnswersAsMadeUpAsync(li, Create("Order"), "account", hidden["account"], id => new { i = new { accountId = id } });
        await AnswersAsMadeUpAsync(li, Create("Quote"), "opportunity", hidden["opportunity"], id => new { i = new { name = "报价", accountId = hidden["account"], opportunityId = id } });
        await AnswersAsMadeUpAsync(li, Create("Opportunity"), "account", hidden["account"], id => new { i = new { name = "机会", accountId = id } });

        Assert.Equal(before, await desk.HiddenVersionsAsync());
        Assert.Equal((0, 0, 0), (await desk.Tenant.CountAsync("payments"), await desk.Tenant.CountAsync("activities"), await desk.Tenant.CountAsync("stageHistories")));
    }
}
