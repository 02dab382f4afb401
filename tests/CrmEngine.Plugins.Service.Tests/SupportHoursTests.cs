namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// An entitlement's support hours drive the SLA clock of the cases it covers: the same high-priority
/// policy (1 h first response, 8 h resolution on the team's 9×5 calendar) falls due on Saturday for a
/// 24×7 platinum customer and on Monday for a customer whose agreement names no hours.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class SupportHoursTests(ServiceHost host)
{
    private const string Fields = "subject entitlementStatus firstResponseDueAt resolutionDueAt slaState";

    [Fact]
    public async Task A_case_covered_by_a_24x7_agreement_falls_due_on_saturday_and_one_on_the_policy_s_9x5_calendar_on_monday()
    {
        // Saturday 7 November 2026, 10:00 in Shanghai.
        var saturday = new DateTime(2026, 11, 7, 2, 0, 0, DateTimeKind.Utc);
        using var clock = host.Clock.At(saturday);
        var tenant = await host.TenantAsync();
        var office = await tenant.CreateAsync("ServiceCalendar", new { name = "5×9 工作时间", timeZone = "Asia/Shanghai" });
        var allHours = await tenant.CreateAsync("ServiceCalendar", new { name = "7×24 全天候", timeZone = "Asia/Shanghai", workdayStart = "00:00", workdayEnd = "24:00", workingDays = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" } });
        await tenant.CreateAsync("SlaPolicy", new { name = "高优先级", priority = "high", calendarId = office.Id(), firstResponseMinutes = 60, resolutionMinutes = 480 });
        var platinum = await tenant.CreateAsync("Account", new { name = "北京白金客户有限公司" });
        var standard = await tenant.CreateAsync("Account", new { name = "天津标准客户有限公司" });
        await tenant.CreateAsync("ServiceEntitlement", new { name = "白金支持 7×24", accountId = platinum.Id(), startDate = "2026-01-01", endDate = "2026-12-31", unit = "cases", allowance = 10, priority = "high", supportHoursId = allHours.Id() });
        await tenant.CreateAsync("ServiceEntitlement", new { name = "标准支持", accountId = standard.Id(), startDate = "2026-01-01", endDate = "2026-12-31", unit = "cases", allowance = 10, priority = "high" });

        var around = await tenant.CreateAsync("ServiceCase", new { subject = "生产系统宕机", accountId = platinum.Id() }, Fields);
        var office9x5 = await tenant.CreateAsync("ServiceCase", new { subject = "测试环境宕机", accountId = standard.Id() }, Fields);

        // 24×7: Saturday 10:00 + 1 h = 11:00, + 8 h = 18:00. 9×5: Monday from 09:00: 10:00 and 17:00.
        Assert.Equal(("covered", EscalationTests.Cst(2026, 11, 7, 11), EscalationTests.Cst(2026, 11, 7, 18), "ok"),
            (around["entitlementStatus"].Str(), around["firstResponseDueAt"].Str(), around["resolutionDueAt"].Str(), around["slaState"].Str()));
        Assert.Equal(("covered", EscalationTests.Cst(2026, 11, 9, 10), EscalationTests.Cst(2026, 11, 9, 17)),
            (office9x5["entitlementStatus"].Str(), office9x5["firstResponseDueAt"].Str(), office9x5["resolutionDueAt"].Str()));
    }

    [Fact]
    public async Task A_working_day_ending_at_24_00_is_accepted_but_one_starting_at_24_00_or_ending_after_it_is_refused()
    {
        var tenant = await host.TenantAsync();
        const string NewCalendar = "mutation($i: CreateServiceCalendarInput!) { createServiceCalendar(input: $i) { serviceCalendar { id } userErrors { field code message } } }";

        var late = await tenant.CreateAsync("ServiceCalendar", new { name = "夜班", workdayStart = "18:00", workdayEnd = "24:00" }, "workdayStart workdayEnd");
        var startsAtMidnight = await tenant.Admin.RefusedAsync(NewCalendar, new { i = new { name = "零点开始", workdayStart = "24:00", workdayEnd = "24:00" } });
        var pastMidnight = await tenant.Admin.RefusedAsync(NewCalendar, new { i = new { name = "跨夜", workdayStart = "20:00", workdayEnd = "24:30" } });

        Assert.Equal(("18:00", "24:00"), (late["workdayStart"].Str(), late["workdayEnd"].Str()));
        Assert.Equal(("SERVICE_INVALID_HOURS", "workdayEnd"), (startsAtMidnight.Code, startsAtMidnight.Field));
        Assert.Equal(("SERVICE_INVALID_HOURS", "workdayEnd"), (pastMidnight.Code, pastMidnight.Field));
        Assert.Equal(1, (await tenant.QueryAsync("{ serviceCalendars { totalCount } }"))["serviceCalendars"]!["totalCount"]!.GetValue<int>());
    }
}
