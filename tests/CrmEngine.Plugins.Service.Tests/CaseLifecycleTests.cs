namespace CrmEngine.Plugins.Service.Tests;

/// <summary>Cases entered through the API walk new → open → pending customer / on hold → resolved → closed, moved only by the service operations.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class CaseLifecycleTests(ServiceHost host)
{
    public const string Fields = "id number status priority category channel escalated escalationReason resolution reopenCount firstRespondedAt resolvedAt closedAt ownerId account { name } contact { name } product { name }";

    public const string Move = "mutation($id: ID!, $s: String!, $r: String) { moveServiceCase(id: $id, status: $s, resolution: $r) { result { " + Fields + " } userErrors { field code message } } }";

    public const string Respond = "mutation($id: ID!, $b: String!) { respondToServiceCase(id: $id, body: $b) { result { " + Fields + " } userErrors { field code message } } }";

    public const string Escalate = "mutation($id: ID!, $r: String!, $to: ID) { escalateServiceCase(id: $id, reason: $r, to: $to) { result { " + Fields + " } userErrors { field code message } } }";

    [Fact]
    public async Task A_phone_case_for_a_sales_account_walks_from_new_through_pending_customer_to_closed()
    {
        var tenant = await host.TenantAsync();
        var account = await tenant.CreateAsync("Account", new { name = "上海星辰科技有限公司" });
        var contact = await tenant.CreateAsync("Contact", new { name = "李雷", accountId = account.Id(), email = "li.lei@xingchen.cn" });
        var product = await tenant.CreateAsync("Product", new { name = "星辰路由器 X1", listPrice = new { amount = 1999m, currency = "CNY" } });

        var created = await tenant.CreateAsync("ServiceCase", new { subject = "路由器无法联网", channel = "phone", priority = "high", category = "incident", accountId = account.Id(), contactId = contact.Id(), productId = product.Id() }, Fields);
        var answered = await tenant.RunAsync(Respond, new { id = created.Id(), b = "请重启设备并告知指示灯状态。" });
        var waiting = await tenant.RunAsync(Move, new { id = created.Id(), s = "pendingCustomer" });
        var back = await tenant.RunAsync(Move, new { id = created.Id(), s = "open" });
        var resolved = await tenant.RunAsync(Move, new { id = created.Id(), s = "resolved", r = "固件升级到 2.1 后恢复。" });
        var closed = await tenant.RunAsync(Move, new { id = created.Id(), s = "closed" });

        Assert.Equal(("CS-00001", "new", "high", "incident", "phone"), (created["number"].Str(), created["status"].Str(), created["priority"].Str(), created["category"].Str(), created["channel"].Str()));
        Assert.Equal(("上海星辰科技有限公司", "李雷", "星辰路由器 X1"), (created["account"]!["name"].Str(), created["contact"]!["name"].Str(), created["product"]!["name"].Str()));
        Assert.Equal(["open", "pendingCustomer", "open", "resolved", "closed"], new[] { answered, waiting, back, resolved, closed }.Select(c => c["status"].Str()));
        Assert.NotNull(answered["firstRespondedAt"]);
        Assert.Equal("固件升级到 2.1 后恢复。", closed["resolution"].Str());
        Assert.NotNull(closed["closedAt"]);
        var messages = await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { messages { nodes { direction body } } } }", new { id = created.Id() });
        Assert.Equal("outbound:请重启设备并告知指示灯状态。", string.Join(",", messages["serviceCase"]!["messages"]!["nodes"]!.AsArray().Select(m => $"{m!["direction"].Str()}:{m["body"].Str()}")));
    }

    [Fact]
    public async Task A_resolved_case_reopens_and_counts_it_and_a_closed_case_moves_no_more()
    {
        var tenant = await host.TenantAsync();
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "发票抬头错误" })).Id();
        await tenant.RunAsync(Move, new { id, s = "open" });
        await tenant.RunAsync(Move, new { id, s = "resolved", r = "已重开发票。" });

        var reopened = await tenant.RunAsync(Move, new { id, s = "open" });
        await tenant.RunAsync(Move, new { id, s = "resolved", r = "已重开发票并寄出。" });
        await tenant.RunAsync(Move, new { id, s = "closed" });
        var afterClose = await tenant.Admin.RefusedAsync(Move, new { id, s = "open" });
        var respondClosed = await tenant.Admin.RefusedAsync(Respond, new { id, b = "还有问题吗？" });
        var escalateClosed = await tenant.Admin.RefusedAsync(Escalate, new { id, r = "客户不满意" });
        var assignClosed = await tenant.Admin.RefusedAsync("mutation($id: ID!) { assignServiceCase(id: $id) { result { id } userErrors { field code message } } }", new { id });

        Assert.Equal(("open", 1, null), (reopened["status"].Str(), reopened["reopenCount"]!.GetValue<int>(), reopened["resolvedAt"]));
        Assert.Equal(("SERVICE_CASE_CLOSED", "id"), (afterClose.Code, afterClose.Field));
        Assert.Equal(["SERVICE_CASE_CLOSED", "SERVICE_CASE_CLOSED", "SERVICE_CASE_CLOSED"], new[] { respondClosed, escalateClosed, assignClosed }.Select(e => e.Code));
        Assert.Equal("closed", await StatusAsync(tenant, id));
    }

    [Fact]
    public async Task Moves_the_lifecycle_does_not_allow_are_refused_with_typed_codes_and_change_nothing()
    {
        var tenant = await host.TenantAsync();
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "无法登录" })).Id();

        var skip = await tenant.Admin.RefusedAsync(Move, new { id, s = "closed" });
        var unknown = await tenant.Admin.RefusedAsync(Move, new { id, s = "done" });
        var backToNew = await tenant.Admin.RefusedAsync(Move, new { id, s = "new" });
        var noResolution = await tenant.Admin.RefusedAsync(Move, new { id, s = "resolved", r = "  " });
        var blankAnswer = await tenant.Admin.RefusedAsync(Respond, new { id, b = " " });
        var noSuchCase = await tenant.Admin.RefusedAsync(Move, new { id = Guid.NewGuid().ToString(), s = "open" });

        Assert.Equal(("SERVICE_INVALID_TRANSITION", "status"), (skip.Code, skip.Field));
        Assert.Equal(("INVALID_INPUT", "status"), (unknown.Code, unknown.Field));
        Assert.Equal("INVALID_INPUT", backToNew.Code);
        Assert.Equal(("SERVICE_RESOLUTION_REQUIRED", "resolution"), (noResolution.Code, noResolution.Field));
        Assert.Equal(("INVALID_INPUT", "body"), (blankAnswer.Code, blankAnswer.Field));
        Assert.Equal("NOT_FOUND", noSuchCase.Code);
        Assert.Equal("new", await StatusAsync(tenant, id));
        var messages = await tenant.QueryAsync("{ serviceCaseMessages { totalCount } }");
        Assert.Equal(0, messages["serviceCaseMessages"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Writing_a_cases_status_clock_or_escalation_directly_is_refused_and_nothing_is_written()
    {
        var tenant = await host.TenantAsync();
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "屏幕闪烁" })).Id();
        const string Create = "mutation($i: CreateServiceCaseInput!) { createServiceCase(input: $i) { serviceCase { id } userErrors { field code message } } }";
        const string Update = "mutation($id: ID!, $i: UpdateServiceCaseInput!) { updateServiceCase(id: $id, input: $i) { serviceCase { id } userErrors { field code message } } }";

        var resolvedAtBirth = await tenant.Admin.RefusedAsync(Create, new { i = new { subject = "x", status = "resolved" } });
        var inTheFuture = await tenant.Admin.RefusedAsync(Create, new { i = new { subject = "x", receivedAt = "2099-01-01T00:00:00Z" } });
        var status = await tenant.Admin.RefusedAsync(Update, new { id, i = new { status = "closed" } });
        var state = await tenant.Admin.RefusedAsync(Update, new { id, i = new { slaState = "met" } });
        var escalated = await tenant.Admin.RefusedAsync(Update, new { id, i = new { escalated = true } });
        var received = await tenant.Admin.RefusedAsync(Update, new { id, i = new { receivedAt = "2026-01-01T00:00:00Z" } });

        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "status"), (resolvedAtBirth.Code, resolvedAtBirth.Field));
        Assert.Equal(("INVALID_INPUT", "receivedAt"), (inTheFuture.Code, inTheFuture.Field));
        Assert.Equal(["status", "slaState", "escalated", "receivedAt"], new[] { status, state, escalated, received }.Select(e => e.Field));
        Assert.All(new[] { status, state, escalated, received }, e => Assert.Equal("SERVICE_STATUS_BY_OPERATION", e.Code));
        Assert.Equal(1, (await tenant.QueryAsync("{ serviceCases { totalCount } }"))["serviceCases"]!["totalCount"]!.GetValue<int>());
        Assert.Equal("new", await StatusAsync(tenant, id));
    }

    [Fact]
    public async Task A_complaint_is_resolved_only_after_an_escalation_with_a_reason_which_hands_it_to_the_lead_one_priority_higher()
    {
        var tenant = await host.TenantAsync();
        var lead = (await tenant.Admin.MutateAsync("mutation { createUser(email: \"lead@acme.cn\", displayName: \"王组长\", roles: [\"user\"]) { user { id } userErrors { code message } } }"))["user"]!.Id();
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "多次维修仍未解决，要求退款", category = "complaint" })).Id();
        await tenant.RunAsync(Move, new { id, s = "open" });

        var unescalated = await tenant.Admin.RefusedAsync(Move, new { id, s = "resolved", r = "已退款" });
        var noReason = await tenant.Admin.RefusedAsync(Escalate, new { id, r = " ", to = lead });
        var noSuchLead = await tenant.Admin.RefusedAsync(Escalate, new { id, r = "客户要求主管处理", to = Guid.NewGuid().ToString() });
        var escalated = await tenant.RunAsync(Escalate, new { id, r = "客户要求主管处理", to = lead });
        var resolved = await tenant.RunAsync(Move, new { id, s = "resolved", r = "已全额退款并致歉。" });

        Assert.Equal(("SERVICE_ESCALATION_REQUIRED", "status"), (unescalated.Code, unescalated.Field));
        Assert.Equal(("SERVICE_REASON_REQUIRED", "reason"), (noReason.Code, noReason.Field));
        Assert.Equal(("NOT_FOUND", "to"), (noSuchLead.Code, noSuchLead.Field));
        Assert.Equal((true, "客户要求主管处理", "high", lead), (escalated["escalated"]!.GetValue<bool>(), escalated["escalationReason"].Str(), escalated["priority"].Str(), escalated["ownerId"].Str()));
        Assert.Equal("resolved", resolved["status"].Str());
    }

    private static async Task<string> StatusAsync(ServiceTenant tenant, string id) =>
        (await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { status } }", new { id }))["serviceCase"]!["status"].Str();
}
