namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Field service (现场服务): a Pudong territory, technicians working 09:00-18:00 Shanghai time
/// (01:00-10:00 UTC) on weekdays, work orders opened from cases, dispatched without double booking,
/// visited (check-in, check-out) with parts used, and reported.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class FieldServiceTests(ServiceHost host)
{
    private const string Fields = "id number status scheduledStart scheduledEnd checkedInAt checkedOutAt technician { name } account { name } serviceReport";

    private const string Dispatch = "mutation($id: ID!, $t: ID!, $s: DateTime!, $m: Int!) { dispatchWorkOrder(id: $id, technicianId: $t, start: $s, minutes: $m) { result { " + Fields + " } userErrors { field code message } } }";

    private const string CheckIn = "mutation($id: ID!) { checkInWorkOrder(id: $id) { result { " + Fields + " } userErrors { field code message } } }";

    private const string CheckOut = "mutation($id: ID!, $w: String!) { checkOutWorkOrder(id: $id, workDone: $w) { result { " + Fields + " } userErrors { field code message } } }";

    [Fact]
    public async Task A_work_order_from_a_case_is_dispatched_visited_with_parts_and_reported()
    {
        using var clock = host.Clock.At(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        var desk = await DeskAsync();
        var account = (await desk.Tenant.CreateAsync("Account", new { name = "上海星辰科技有限公司" })).Id();
        var adapter = (await desk.Tenant.CreateAsync("Product", new { name = "电源适配器 12V", listPrice = new { amount = 89m, currency = "CNY" } })).Id();
        var @case = (await desk.Tenant.CreateAsync("ServiceCase", new { subject = "机房路由器断电", accountId = account })).Id();

        var order = await desk.Tenant.CreateAsync("WorkOrder", new { caseId = @case, territoryId = desk.Pudong, requiredSkills = "router", address = "上海市浦东新区张江路 88 号" }, Fields);
        var scheduled = await desk.Tenant.RunAsync(Dispatch, new { id = order.Id(), t = desk.Zhao, s = "2026-06-02T02:00:00Z", m = 120 });
        host.Clock.Set(new DateTime(2026, 6, 2, 2, 5, 0, DateTimeKind.Utc));
        var onSite = await desk.Tenant.RunAsync(CheckIn, new { id = order.Id() });
        await desk.Tenant.CreateAsync("WorkOrderPart", new { workOrderId = order.Id(), productId = adapter, quantity = 2 });
        host.Clock.Set(new DateTime(2026, 6, 2, 3, 35, 0, DateTimeKind.Utc));
        var done = await desk.Tenant.RunAsync(CheckOut, new { id = order.Id(), w = "更换电源适配器，设备恢复供电。" });
        var lateProduct = await desk.Tenant.Admin.RefusedAsync("mutation($i: CreateWorkOrderPartInput!) { createWorkOrderPart(input: $i) { workOrderPart { id } userErrors { field code message } } }", new { i = new { workOrderId = order.Id(), productId = adapter, quantity = 1 } });

        Assert.Equal(("WO-00001", "new", "上海星辰科技有限公司"), (order["number"].Str(), order["status"].Str(), order["account"]!["name"].Str()));
        Assert.Equal(("scheduled", "赵工", "2026-06-02T02:00:00Z", "2026-06-02T04:00:00Z"), (scheduled["status"].Str(), scheduled["technician"]!["name"].Str(), scheduled["scheduledStart"].Str(), scheduled["scheduledEnd"].Str()));
        Assert.Equal(("inProgress", "2026-06-02T02:05:00Z"), (onSite["status"].Str(), onSite["checkedInAt"].Str()));
        Assert.Equal(("completed", "2026-06-02T03:35:00Z"), (done["status"].Str(), done["checkedOutAt"].Str()));
        Assert.Equal(
            """
            现场服务报告 / Service report WO-00001
            服务请求 / Case: CS-00001 机房路由器断电
            客户 / Account: 上海星辰科技有限公司
            工程师 / Technician: 赵工
            预约 / Scheduled: 2026-06-02 02:00–04:00 UTC
            到场 / On site: 2026-06-02 02:05–03:35 UTC (90 min)
            备件 / Parts:
            - 电源适配器 12V × 2
            处理结果 / Work done: 更换电源适配器，设备恢复供电。
            """.ReplaceLineEndings("\n"), done["serviceReport"].Str().ReplaceLineEndings("\n"));
        Assert.Equal(("SERVICE_WORK_ORDER_DONE", "workOrder"), (lateProduct.Code, lateProduct.Field));
    }

    [Fact]
    public async Task A_dispatch_to_an_unfit_technician_outside_working_hours_or_over_another_booking_is_refused_and_changes_nothing()
    {
        using var clock = host.Clock.At(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        var desk = await DeskAsync();
        var @case = (await desk.Tenant.CreateAsync("ServiceCase", new { subject = "打印机上门维修" })).Id();
        var booked = (await desk.Tenant.CreateAsync("WorkOrder", new { caseId = @case, territoryId = desk.Pudong })).Id();
        var order = (await desk.Tenant.CreateAsync("WorkOrder", new { caseId = @case, territoryId = desk.Pudong, requiredSkills = "Router" })).Id();
        await desk.Tenant.RunAsync(Dispatch, new { id = booked, t = desk.Zhao, s = "2026-06-02T02:00:00Z", m = 120 });

        var refusals = new[]
        {
            (await desk.Tenant.Admin.RefusedAsync(Dispatch, new { id = order, t = desk.Qian, s = "2026-06-02T06:00:00Z", m = 60 }), "SERVICE_TECHNICIAN_UNFIT", "technicianId", "钱工 lacks router."),
            (await desk.Tenant.Admin.RefusedAsync(Dispatch, new { id = order, t = desk.Sun, s = "2026-06-02T06:00:00Z", m = 60 }), "SERVICE_TECHNICIAN_UNFIT", "technicianId", "孙工 works in another territory."),
            (await desk.Tenant.Admin.RefusedAsync(Dispatch, new { id = order, t = desk.Zhao, s = "2026-06-02T09:30:00Z", m = 60 }), "SERVICE_OUTSIDE_HOURS", "start", "赵工 doesn't work all of 2026-06-02 09:30–10:30 UTC."),
            (await desk.Tenant.Admin.RefusedAsync(Dispatch, new { id = order, t = desk.Zhao, s = "2026-06-06T02:00:00Z", m = 60 }), "SERVICE_OUTSIDE_HOURS", "start", "赵工 doesn't work all of 2026-06-06 02:00–03:00 UTC."),
            (await desk.Tenant.Admin.RefusedAsync(Dispatch, new { id = order, t = desk.Zhao, s = "2026-06-02T03:30:00Z", m = 60 }), "SERVICE_DOUBLE_BOOKED", "start", "赵工 is booked for work order WO-00001 from 2026-06-02 02:00 to 04:00 UTC."),
            (await desk.Tenant.Admin.RefusedAsync(Dispatch, new { id = order, t = desk.Zhao, s = "2026-06-02T06:00:00Z", m = 0 }), "INVALID_INPUT", "minutes", "A slot lasts 1 to 720 minutes."),
            (await desk.Tenant.Admin.RefusedAsync(CheckIn, new { id = order }), "SERVICE_INVALID_TRANSITION", "id", "Work order WO-00002 is new, not scheduled."),
            (await desk.Tenant.Admin.RefusedAsync(CheckOut, new { id = booked, w = "完成" }), "SERVICE_INVALID_TRANSITION", "id", "Work order WO-00001 is scheduled, not inProgress."),
            (await desk.Tenant.Admin.RefusedAsync("mutation($id: ID!) { updateWorkOrder(id: $id, input: {status: \"completed\"}) { workOrder { id } userErrors { field code message } } }", new { id = order }), "SERVICE_STATUS_BY_OPERATION", "status", "A work order's status is set by dispatchWorkOrder, checkInWorkOrder and checkOutWorkOrder."),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, (string?)r.Item3, r.Item4)), refusals.Select(r => (r.Item1.Code, r.Item1.Field, r.Item1.Message)));
        var after = (await desk.Tenant.QueryAsync("query($id: ID!) { workOrder(id: $id) { status technician { name } scheduledStart } }", new { id = order }))["workOrder"]!;
        Assert.Equal(("new", null, null), (after["status"].Str(), after["technician"], after["scheduledStart"]));
        // The adjacent slot right after the booking is free: bookings end where the next may start.
        var next = await desk.Tenant.RunAsync(Dispatch, new { id = order, t = desk.Zhao, s = "2026-06-02T04:00:00Z", m = 60 });
        Assert.Equal("scheduled", next["status"].Str());
    }

    [Fact]
    public async Task Dispatches_racing_for_the_same_technician_and_slot_book_exactly_one()
    {
        using var clock = host.Clock.At(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        var desk = await DeskAsync();
        var @case = (await desk.Tenant.CreateAsync("ServiceCase", new { subject = "多家客户同时报修" })).Id();
        var orders = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            orders.Add((await desk.Tenant.CreateAsync("WorkOrder", new { caseId = @case, territoryId = desk.Pudong })).Id());
        }

        // All four at once for 赵工 on Tuesday 10:00-11:00 Shanghai; a loser of the race itself is sent again, alone.
        var raced = await Task.WhenAll(orders.Select(id => desk.Tenant.Admin.PostAsync(Dispatch, new { id, t = desk.Zhao, s = "2026-06-02T02:00:00Z", m = 60 })));
        var codes = raced.Select(r => r.UserErrorCodes.Count > 0 ? r.UserErrorCodes[0] : "BOOKED").ToList();
        for (var i = 0; i < orders.Count; i++)
        {
            if (codes[i] == "VERSION_CONFLICT")
            {
                var again = await desk.Tenant.Admin.PostAsync(Dispatch, new { id = orders[i], t = desk.Zhao, s = "2026-06-02T02:00:00Z", m = 60 });
                codes[i] = again.UserErrorCodes.Count > 0 ? again.UserErrorCodes[0] : "BOOKED";
            }
        }

        Assert.Equal((1, 3), (codes.Count(c => c == "BOOKED"), codes.Count(c => c == "SERVICE_DOUBLE_BOOKED")));
        var scheduled = await desk.Tenant.QueryAsync("query($t: ID!) { workOrders(filter: {technicianId: {eq: $t}, status: {eq: \"scheduled\"}}) { totalCount } }", new { t = desk.Zhao });
        Assert.Equal(1, scheduled["workOrders"]!["totalCount"]!.GetValue<int>());
    }

    /// <summary>A tenant with the Pudong territory and its calendar; 赵工 (router, network) and 钱工 (printer) in Pudong, 孙工 (router) in Minhang.</summary>
    private async Task<Desk> DeskAsync()
    {
        var tenant = await host.TenantAsync();
        var calendar = (await tenant.CreateAsync("ServiceCalendar", new { name = "上海现场服务", timeZone = "Asia/Shanghai" })).Id();
        var pudong = (await tenant.CreateAsync("ServiceTerritory", new { name = "浦东" })).Id();
        var minhang = (await tenant.CreateAsync("ServiceTerritory", new { name = "闵行" })).Id();
        async Task<string> Technician(string name, string skills, string territory) =>
            (await tenant.CreateAsync("Technician", new { name, skills, territoryId = territory, calendarId = calendar })).Id();
        return new Desk(tenant, pudong, await Technician("赵工", "router, network", pudong), await Technician("钱工", "printer", pudong), await Technician("孙工", "router", minhang));
    }

    private sealed record Desk(ServiceTenant Tenant, string Pudong, string Zhao, string Qian, string Sun);
}
