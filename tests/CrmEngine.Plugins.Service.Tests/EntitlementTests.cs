using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Service agreements (服务许可): 星辰科技 is entitled to two phone or e-mail cases about its router in
/// 2026 at high priority, and to ten hours of on-call work; cases are checked against that at creation,
/// use it up, and are flagged (never refused) when nothing covers them.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class EntitlementTests(ServiceHost host)
{
    private const string CaseFields = "id number priority entitlementStatus entitlement { name } slaPolicy { name } firstResponseDueAt hoursLogged";

    private const string Balance = "query($id: ID!) { serviceEntitlement(id: $id) { allowance used remaining cases { totalCount } timeEntries { totalCount } } }";

    private const string LogHours = "mutation($i: CreateServiceTimeEntryInput!) { createServiceTimeEntry(input: $i) { serviceTimeEntry { id hours at entitlement { name } } userErrors { field code message } } }";

    /// <summary>Monday 1 June 2026, 10:00 in Shanghai.</summary>
    private static readonly DateTime June1 = new(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_covered_case_uses_one_case_of_the_agreement_and_takes_its_priority_and_SLA_and_the_rest_are_flagged()
    {
        using var clock = host.Clock.At(June1);
        var tenant = await host.TenantAsync();
        var calendar = await tenant.CreateAsync("ServiceCalendar", new { name = "上海支持中心", timeZone = "Asia/Shanghai" });
        await tenant.CreateAsync("SlaPolicy", new { name = "高优先级", priority = "high", calendarId = calendar.Id(), firstResponseMinutes = 60, resolutionMinutes = 480 });
        var (account, router, printer) = await CustomerAsync(tenant);
        var gold = (await tenant.CreateAsync("ServiceEntitlement", new { name = "金牌支持 2026", accountId = account, productId = router, channels = new[] { "phone", "email" }, startDate = "2026-01-01", endDate = "2026-12-31", allowance = 2, priority = "high" }, "id remaining used")).AsObject();

        async Task<JsonNode> CaseAsync(string subject, object? product, string channel, object? accountId = null) =>
            await tenant.CreateAsync("ServiceCase", new { subject, productId = product, channel, accountId = accountId ?? account }, CaseFields);
        var first = await CaseAsync("路由器频繁掉线", router, "phone");
        var byChat = await CaseAsync("在线咨询路由器设置", router, "chat");
        var otherProduct = await CaseAsync("打印机卡纸", printer, "phone");
        var second = await CaseAsync("路由器固件升级失败", router, "email");
        var third = await CaseAsync("路由器再次掉线", router, "phone");
        var noAccount = await tenant.CreateAsync("ServiceCase", new { subject = "匿名咨询", channel = "phone" }, CaseFields);

        // Covered: high priority from the agreement, so the high policy's 60 business minutes: 11:00 Shanghai.
        Assert.Equal(("covered", "金牌支持 2026", "high", "高优先级", "2026-06-01T03:00:00Z"),
            (first["entitlementStatus"].Str(), first["entitlement"]!["name"].Str(), first["priority"].Str(), first["slaPolicy"]!["name"].Str(), first["firstResponseDueAt"].Str()));
        Assert.Equal(("notEntitled", null, "normal"), (byChat["entitlementStatus"].Str(), byChat["entitlement"], byChat["priority"].Str()));
        Assert.Equal(("notEntitled", null), (otherProduct["entitlementStatus"].Str(), otherProduct["entitlement"]));
        Assert.Equal(("covered", "high"), (second["entitlementStatus"].Str(), second["priority"].Str()));
        Assert.Equal(("exhausted", "金牌支持 2026", "normal", null), (third["entitlementStatus"].Str(), third["entitlement"]!["name"].Str(), third["priority"].Str(), third["slaPolicy"]));
        Assert.Null(noAccount["entitlementStatus"]);
        Assert.Equal((0m, 2m), (gold["used"]!.GetValue<decimal>(), gold["remaining"]!.GetValue<decimal>()));
        var balance = (await tenant.QueryAsync(Balance, new { id = gold.Id() }))["serviceEntitlement"]!;
        Assert.Equal((2m, 2m, 0m, 3), (balance["allowance"]!.GetValue<decimal>(), balance["used"]!.GetValue<decimal>(), balance["remaining"]!.GetValue<decimal>(), balance["cases"]!["totalCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task An_agreement_covers_only_the_days_it_is_valid_and_an_all_products_one_takes_over_when_a_specific_one_is_used_up()
    {
        using var clock = host.Clock.At(June1);
        var tenant = await host.TenantAsync();
        var (account, router, _) = await CustomerAsync(tenant);
        await tenant.CreateAsync("ServiceEntitlement", new { name = "2025 年协议", accountId = account, startDate = "2025-01-01", endDate = "2025-12-31", allowance = 10 });
        await tenant.CreateAsync("ServiceEntitlement", new { name = "路由器专项", accountId = account, productId = router, startDate = "2026-05-01", endDate = "2026-06-30", allowance = 1 });
        await tenant.CreateAsync("ServiceEntitlement", new { name = "全产品协议", accountId = account, startDate = "2026-01-01", endDate = "2026-12-31", allowance = 5 });

        var specific = await tenant.CreateAsync("ServiceCase", new { subject = "路由器无法联网", accountId = account, productId = router }, CaseFields);
        var general = await tenant.CreateAsync("ServiceCase", new { subject = "路由器指示灯异常", accountId = account, productId = router }, CaseFields);
        var lastYear = await tenant.CreateAsync("ServiceCase", new { subject = "补录：去年的报修", accountId = account, receivedAt = "2025-11-03T02:00:00Z" }, CaseFields);

        Assert.Equal("路由器专项", specific["entitlement"]!["name"].Str());
        Assert.Equal(("covered", "全产品协议"), (general["entitlementStatus"].Str(), general["entitlement"]!["name"].Str()));
        Assert.Equal(("covered", "2025 年协议"), (lastYear["entitlementStatus"].Str(), lastYear["entitlement"]!["name"].Str()));
        var left = await tenant.QueryAsync("{ serviceEntitlements(orderBy: [{name: ASC}]) { nodes { name remaining } } }");
        Assert.Equal("2025 年协议:9,全产品协议:4,路由器专项:0", string.Join(",", left["serviceEntitlements"]!["nodes"]!.AsArray().Select(n => $"{n!["name"].Str()}:{n["remaining"]!.GetValue<decimal>():0.##}")));
    }

    [Fact]
    public async Task Hours_logged_on_a_case_use_its_hours_agreement_more_than_is_left_is_refused_and_a_deleted_entry_gives_them_back()
    {
        using var clock = host.Clock.At(June1);
        var tenant = await host.TenantAsync();
        var (account, _, _) = await CustomerAsync(tenant);
        var onCall = await tenant.CreateAsync("ServiceEntitlement", new { name = "驻场工时包", accountId = account, startDate = "2026-01-01", endDate = "2026-12-31", unit = "hours", allowance = 10 });
        var @case = await tenant.CreateAsync("ServiceCase", new { subject = "机房网络改造", accountId = account }, CaseFields);

        var logged = (await tenant.Admin.MutateAsync(LogHours, new { i = new { caseId = @case.Id(), hours = 2.5m, note = "现场排查" } }))["serviceTimeEntry"]!;
        var afterLog = (await tenant.QueryAsync(Balance, new { id = onCall.Id() }))["serviceEntitlement"]!;
        var tooMuch = await tenant.Admin.RefusedAsync(LogHours, new { i = new { caseId = @case.Id(), hours = 8m } });
        var changed = await tenant.Admin.RefusedAsync("mutation($id: ID!) { updateServiceTimeEntry(id: $id, input: {hours: 1}) { serviceTimeEntry { id } userErrors { field code message } } }", new { id = logged.Id() });
        var afterRefusals = (await tenant.QueryAsync(Balance, new { id = onCall.Id() }))["serviceEntitlement"]!;
        await tenant.Admin.MutateAsync("mutation($id: ID!) { deleteServiceTimeEntry(id: $id) { deletedId userErrors { field code message } } }", new { id = logged.Id() });
        var afterDelete = (await tenant.QueryAsync(Balance, new { id = onCall.Id() }))["serviceEntitlement"]!;
        var caseAfter = (await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { hoursLogged } }", new { id = @case.Id() }))["serviceCase"]!;

        // A case counted in hours uses nothing when it is opened, only what is logged on it.
        Assert.Equal(("covered", "驻场工时包", "2026-06-01T02:00:00Z"), (@case["entitlementStatus"].Str(), logged["entitlement"]!["name"].Str(), logged["at"].Str()));
        Assert.Equal((2.5m, 7.5m), (afterLog["used"]!.GetValue<decimal>(), afterLog["remaining"]!.GetValue<decimal>()));
        Assert.Equal(("SERVICE_ENTITLEMENT_EXHAUSTED", "hours", "驻场工时包 has 7.5 hours left; 8 were logged."), (tooMuch.Code, tooMuch.Field, tooMuch.Message));
        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "hours"), (changed.Code, changed.Field));
        Assert.Equal((7.5m, 1), (afterRefusals["remaining"]!.GetValue<decimal>(), afterRefusals["timeEntries"]!["totalCount"]!.GetValue<int>()));
        Assert.Equal((0m, 10m, 0m), (afterDelete["used"]!.GetValue<decimal>(), afterDelete["remaining"]!.GetValue<decimal>(), caseAfter["hoursLogged"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task Bad_agreements_and_direct_writes_of_what_the_module_keeps_are_refused_and_change_nothing()
    {
        using var clock = host.Clock.At(June1);
        var tenant = await host.TenantAsync();
        var (account, _, _) = await CustomerAsync(tenant);
        var basic = await tenant.CreateAsync("ServiceEntitlement", new { name = "基础支持", accountId = account, startDate = "2026-01-01", endDate = "2026-12-31", allowance = 3 });
        var @case = await tenant.CreateAsync("ServiceCase", new { subject = "账单疑问", accountId = account }, CaseFields);
        const string Create = "mutation($i: CreateServiceEntitlementInput!) { createServiceEntitlement(input: $i) { serviceEntitlement { id } userErrors { field code message } } }";
        const string Update = "mutation($id: ID!, $i: UpdateServiceEntitlementInput!) { updateServiceEntitlement(id: $id, input: $i) { serviceEntitlement { id } userErrors { field code message } } }";
        const string UpdateCase = "mutation($id: ID!, $i: UpdateServiceCaseInput!) { updateServiceCase(id: $id, input: $i) { serviceCase { id } userErrors { field code message } } }";

        var refusals = new[]
        {
            (await tenant.Admin.RefusedAsync(Create, new { i = new { name = "倒挂", accountId = account, startDate = "2026-12-31", endDate = "2026-01-01", allowance = 1 } }), "INVALID_INPUT", "endDate"),
            (await tenant.Admin.RefusedAsync(Create, new { i = new { name = "半个工单", accountId = account, startDate = "2026-01-01", endDate = "2026-12-31", allowance = 1.5m } }), "INVALID_INPUT", "allowance"),
            (await tenant.Admin.RefusedAsync(Create, new { i = new { name = "预先用掉", accountId = account, startDate = "2026-01-01", endDate = "2026-12-31", allowance = 5, used = 1 } }), "SERVICE_STATUS_BY_OPERATION", "used"),
            (await tenant.Admin.RefusedAsync(Create, new { i = new { name = "负数", accountId = account, startDate = "2026-01-01", endDate = "2026-12-31", allowance = -1 } }), "OUT_OF_RANGE", "allowance"),
            (await tenant.Admin.RefusedAsync(Update, new { id = basic.Id(), i = new { allowance = 0 } }), "SERVICE_ALLOWANCE_BELOW_USED", "allowance"),
            (await tenant.Admin.RefusedAsync(Update, new { id = basic.Id(), i = new { remaining = 100 } }), "SERVICE_STATUS_BY_OPERATION", "remaining"),
            (await tenant.Admin.RefusedAsync(Update, new { id = basic.Id(), i = new { unit = "hours" } }), "INVALID_INPUT", "unit"),
            (await tenant.Admin.RefusedAsync(UpdateCase, new { id = @case.Id(), i = new { entitlementStatus = "notEntitled" } }), "SERVICE_STATUS_BY_OPERATION", "entitlementStatus"),
            (await tenant.Admin.RefusedAsync(UpdateCase, new { id = @case.Id(), i = new { hoursLogged = 3 } }), "SERVICE_STATUS_BY_OPERATION", "hoursLogged"),
            (await tenant.Admin.RefusedAsync(LogHours, new { i = new { caseId = @case.Id(), hours = 0 } }), "OUT_OF_RANGE", "hours"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, (string?)r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        var after = await tenant.QueryAsync("query($id: ID!) { serviceEntitlements { totalCount } serviceEntitlement(id: $id) { allowance used remaining unit } serviceTimeEntries { totalCount } }", new { id = basic.Id() });
        Assert.Equal((1, 3m, 1m, 2m, "cases", 0), (after["serviceEntitlements"]!["totalCount"]!.GetValue<int>(), after["serviceEntitlement"]!["allowance"]!.GetValue<decimal>(), after["serviceEntitlement"]!["used"]!.GetValue<decimal>(), after["serviceEntitlement"]!["remaining"]!.GetValue<decimal>(), after["serviceEntitlement"]!["unit"].Str(), after["serviceTimeEntries"]!["totalCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Cases_opened_at_once_for_the_last_cases_of_an_agreement_never_use_more_than_it_allows()
    {
        using var clock = host.Clock.At(June1);
        var tenant = await host.TenantAsync();
        var (account, _, _) = await CustomerAsync(tenant);
        var three = await tenant.CreateAsync("ServiceEntitlement", new { name = "三次上门", accountId = account, startDate = "2026-01-01", endDate = "2026-12-31", allowance = 3 });
        const string Open = "mutation($i: CreateServiceCaseInput!) { createServiceCase(input: $i) { serviceCase { entitlementStatus } userErrors { field code message } } }";

        // Six at once; a loser of a race is refused for the race itself (nothing of it written) and is then opened again, alone.
        var inputs = Enumerable.Range(1, 6).Select(i => new { subject = $"同时报修 {i}", accountId = account }).ToList();
        var raced = await Task.WhenAll(inputs.Select(i => tenant.Admin.PostAsync(Open, new { i })));
        var statuses = new List<string>();
        foreach (var (input, response) in inputs.Zip(raced))
        {
            var codes = response.UserErrorCodes;
            Assert.True(codes.Count == 0 || codes[0] == "VERSION_CONFLICT", string.Join(",", codes));
            statuses.Add(codes.Count == 0
                ? response.Data!["createServiceCase"]!["serviceCase"]!["entitlementStatus"].Str()
                : (await tenant.Admin.MutateAsync(Open, new { i = input }))["serviceCase"]!["entitlementStatus"].Str());
        }

        Assert.Equal((3, 3), (statuses.Count(s => s == "covered"), statuses.Count(s => s == "exhausted")));
        var balance = (await tenant.QueryAsync(Balance, new { id = three.Id() }))["serviceEntitlement"]!;
        Assert.Equal((3m, 0m, 6), (balance["used"]!.GetValue<decimal>(), balance["remaining"]!.GetValue<decimal>(), balance["cases"]!["totalCount"]!.GetValue<int>()));
        Assert.Equal(6, (await tenant.QueryAsync("{ serviceCases { totalCount } }"))["serviceCases"]!["totalCount"]!.GetValue<int>());
    }

    private static async Task<(string Account, string Router, string Printer)> CustomerAsync(ServiceTenant tenant)
    {
        var account = (await tenant.CreateAsync("Account", new { name = "上海星辰科技有限公司" })).Id();
        var router = (await tenant.CreateAsync("Product", new { name = "星辰路由器 X1", listPrice = new { amount = 1999m, currency = "CNY" } })).Id();
        var printer = (await tenant.CreateAsync("Product", new { name = "星辰打印机 P2", listPrice = new { amount = 2999m, currency = "CNY" } })).Id();
        return (account, router, printer);
    }
}
