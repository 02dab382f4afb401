namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// SLA clocks through GraphQL on a stopped clock: a Shanghai support calendar (09:00-18:00, Monday to
/// Friday) with the National Day break of 2026 and its make-up working days imported from an .ics
/// file, a policy for normal cases (4 h first response, 16 h resolution, warned at 80 %), and the
/// sweep job moving states on. Figures are worked out by hand in the comments (Shanghai is UTC+8).
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class SlaTests(ServiceHost host)
{
    /// <summary>The break as the test calendar states it: 1-7 October off (DTEND is exclusive), Sunday 20 September and Saturday 10 October worked.</summary>
    public const string NationalDayIcs = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//CrmEngine tests//CN holidays//EN
        BEGIN:VEVENT
        UID:2026-national-day@test
        DTSTAMP:20251101T000000Z
        DTSTART;VALUE=DATE:20261001
        DTEND;VALUE=DATE:20261008
        SUMMARY:国庆节
        END:VEVENT
        BEGIN:VEVENT
        UID:2026-makeup-1@test
        DTSTAMP:20251101T000000Z
        DTSTART;VALUE=DATE:20260920
        SUMMARY:国庆节 补班
        END:VEVENT
        BEGIN:VEVENT
        UID:2026-makeup-2@test
        DTSTAMP:20251101T000000Z
        DTSTART;VALUE=DATE:20261010
        DTEND;VALUE=DATE:20261011
        SUMMARY:Make-up day
        CATEGORIES:WORKDAY
        END:VEVENT
        END:VCALENDAR
        """;

    private const string SlaFields = "id number status slaState firstResponseWarnAt firstResponseDueAt firstRespondedAt resolutionWarnAt resolutionDueAt slaPausedAt slaPausedMinutes slaPolicy { name }";

    private const string Import = "mutation($c: ID!, $ics: String!) { importServiceHolidays(calendar: $c, ics: $ics) { result { holidays workdays } userErrors { field code message } } }";

    /// <summary>An instant written in Shanghai time, as the API writes it (UTC).</summary>
    private static string Cst(int month, int day, int hour, int minute = 0) =>
        new DateTime(2026, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime At(int month, int day, int hour, int minute = 0) => new DateTime(2026, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    /// <summary>The tenant, made while the clock stands at <paramref name="start"/> (its jobs count from there), with the calendar and the normal policy.</summary>
    private async Task<ServiceTenant> SupportDeskAsync(DateTime start)
    {
        host.Clock.Set(start);
        var tenant = await host.TenantAsync();
        var calendar = await tenant.CreateAsync("ServiceCalendar", new { name = "上海支持中心", timeZone = "Asia/Shanghai", workdayStart = "09:00", workdayEnd = "18:00" });
        var imported = await tenant.RunAsync(Import, new { c = calendar.Id(), ics = NationalDayIcs });
        Assert.Equal((7, 2), (imported["holidays"]!.GetValue<int>(), imported["workdays"]!.GetValue<int>()));
        await tenant.CreateAsync("SlaPolicy", new { name = "普通工单", priority = "normal", calendarId = calendar.Id(), firstResponseMinutes = 240, resolutionMinutes = 960 });
        return tenant;
    }

    [Fact]
    public async Task A_case_received_the_evening_before_national_day_falls_due_after_the_break()
    {
        using var clock = host.Clock.At(At(9, 30, 17));
        var tenant = await SupportDeskAsync(At(9, 30, 17));

        var created = await tenant.CreateAsync("ServiceCase", new { subject = "节前报修：打印机卡纸" }, SlaFields);

        // First response 4 h: 1 h on 30 Sep, 3 h on 8 Oct: 12:00; warned at 3 h 12 min: 8 Oct 11:12.
        // Resolution 16 h: 1 h + 9 h on 8 Oct + 6 h on 9 Oct: 15:00; warned at 12 h 48 min: 9 Oct 11:48.
        Assert.Equal((Cst(10, 8, 12), Cst(10, 8, 11, 12), Cst(10, 9, 15), Cst(10, 9, 11, 48)),
            (created["firstResponseDueAt"].Str(), created["firstResponseWarnAt"].Str(), created["resolutionDueAt"].Str(), created["resolutionWarnAt"].Str()));
        Assert.Equal(("ok", "普通工单"), (created["slaState"].Str(), created["slaPolicy"]!["name"].Str()));
    }

    [Fact]
    public async Task Waiting_for_the_customer_pauses_the_resolution_clock_which_resumes_later_and_runs_out_on_the_make_up_saturday()
    {
        using var clock = host.Clock.At(At(9, 30, 17));
        var tenant = await SupportDeskAsync(At(9, 30, 17));
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "系统无法导出报表" })).Id();

        host.Clock.Set(At(10, 8, 10));
        var answered = await tenant.RunAsync(CaseLifecycleTests.Respond.Replace(CaseLifecycleTests.Fields, SlaFields, StringComparison.Ordinal), new { id, b = "请提供报错截图。" });
        host.Clock.Set(At(10, 8, 11));
        var waiting = await tenant.RunAsync(CaseLifecycleTests.Move.Replace(CaseLifecycleTests.Fields, SlaFields, StringComparison.Ordinal), new { id, s = "pendingCustomer" });
        host.Clock.Set(At(10, 9, 14));
        var resumed = await tenant.RunAsync(CaseLifecycleTests.Move.Replace(CaseLifecycleTests.Fields, SlaFields, StringComparison.Ordinal), new { id, s = "open" });

        Assert.Equal((Cst(10, 8, 10), "ok"), (answered["firstRespondedAt"].Str(), answered["slaState"].Str()));
        Assert.Equal((Cst(10, 8, 11), "paused"), (waiting["slaPausedAt"].Str(), waiting["slaState"].Str()));

        // Paused 8 Oct 11:00-18:00 and 9 Oct 09:00-14:00: 7 h + 5 h = 720 business minutes. Resolution now
        // needs 16 h + 12 h = 28 h from 30 Sep 17:00: 1 + 9 (8 Oct) + 9 (9 Oct) + 9 on the make-up Saturday 10 Oct: 18:00.
        // The warning comes at 12 h 48 min + 12 h = 24 h 48 min: 19 h by Friday evening, then 5 h 48 min on Saturday: 14:48.
        Assert.Equal((720, true, Cst(10, 10, 18), Cst(10, 10, 14, 48), "ok"),
            (resumed["slaPausedMinutes"]!.GetValue<int>(), resumed["slaPausedAt"] is null, resumed["resolutionDueAt"].Str(), resumed["resolutionWarnAt"].Str(), resumed["slaState"].Str()));
    }

    [Fact]
    public async Task The_sweep_warns_at_80_percent_and_breaches_at_the_due_time_and_cases_filter_by_their_sla_state()
    {
        using var clock = host.Clock.At(At(9, 30, 17));
        var tenant = await SupportDeskAsync(At(9, 30, 17));
        var late = (await tenant.CreateAsync("ServiceCase", new { subject = "邮件服务器宕机" })).Id();
        var waiting = (await tenant.CreateAsync("ServiceCase", new { subject = "账号权限申请" })).Id();
        var noSla = (await tenant.CreateAsync("ServiceCase", new { subject = "一般咨询", priority = "low" }, SlaFields));
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = waiting, s = "open" });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = waiting, s = "pendingCustomer" });

        // 8 Oct 11:12 is 80 % of the 4 h first response target; 12:00 is the target.
        host.Clock.Set(At(10, 8, 11, 12));
        await host.RunJobsAsync(At(10, 8, 11, 12));
        var warned = await StatesAsync(tenant);
        host.Clock.Set(At(10, 8, 12));
        await host.RunJobsAsync(At(10, 8, 12));
        var breached = await StatesAsync(tenant);
        var filtered = await tenant.QueryAsync("{ serviceCases(filter: { slaState: { eq: \"breached\" } }) { nodes { subject } } }");

        Assert.Equal("none", noSla["slaState"].Str());
        Assert.Equal("邮件服务器宕机:warning,账号权限申请:paused,一般咨询:none", warned);
        Assert.Equal("邮件服务器宕机:breached,账号权限申请:paused,一般咨询:none", breached);
        Assert.Equal(["邮件服务器宕机"], filtered["serviceCases"]!["nodes"]!.AsArray().Select(n => n!["subject"].Str()));
    }

    [Fact]
    public async Task The_sweep_writes_only_cases_whose_state_moves_and_tells_the_owner_once_per_move()
    {
        using var clock = host.Clock.At(At(9, 30, 17));
        var tenant = await SupportDeskAsync(At(9, 30, 17));
        var early = (await tenant.CreateAsync("ServiceCase", new { subject = "打印机卡纸" })).Id();

        // Received 8 Oct 10:00: warned at 13:12 (80 % of 4 h), due 14:00; it stays within target all morning.
        host.Clock.Set(At(10, 8, 10));
        var later = (await tenant.CreateAsync("ServiceCase", new { subject = "无法连接 VPN" })).Id();
        var before = await VersionsAsync(tenant);

        // 11:12 warns the first case; 11:40 finds it warned and short of its 12:00 due time; 12:00 breaches it.
        foreach (var at in new[] { At(10, 8, 11, 12), At(10, 8, 11, 40), At(10, 8, 12) })
        {
            host.Clock.Set(at);
            await host.RunJobsAsync(at);
        }

        var after = await VersionsAsync(tenant);
        var notes = (await tenant.QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray().Select(n => n!["message"].Str()).Order().ToList();

        Assert.Equal("打印机卡纸:breached,无法连接 VPN:ok", await StatesAsync(tenant));
        Assert.Equal(before[later], after[later]);
        Assert.Equal(before[early] + 2, after[early]);
        Assert.Equal(["Case CS-00001 breached its SLA. / 工单 CS-00001 已超出服务时限。", "Case CS-00001 is close to breaching its SLA. / 工单 CS-00001 即将超出服务时限。"], notes);
    }

    private static async Task<Dictionary<string, int>> VersionsAsync(ServiceTenant tenant) =>
        (await tenant.QueryAsync("{ serviceCases { nodes { id version } } }"))["serviceCases"]!["nodes"]!.AsArray()
            .ToDictionary(n => n!.Id(), n => n!["version"]!.GetValue<int>());

    [Fact]
    public async Task Importing_the_same_holiday_file_again_updates_the_days_instead_of_adding_them()
    {
        var tenant = await host.TenantAsync();
        var calendar = await tenant.CreateAsync("ServiceCalendar", new { name = "北京" }, "id timeZone workdayStart workdayEnd workingDays");

        await tenant.RunAsync(Import, new { c = calendar.Id(), ics = NationalDayIcs });
        await tenant.RunAsync(Import, new { c = calendar.Id(), ics = NationalDayIcs });
        var days = await tenant.QueryAsync("{ serviceCalendarDays(orderBy: [{ date: ASC }]) { totalCount nodes { date kind name } } }");

        Assert.Equal(("Asia/Shanghai", "09:00", "18:00"), (calendar["timeZone"].Str(), calendar["workdayStart"].Str(), calendar["workdayEnd"].Str()));
        Assert.Equal(["mon", "tue", "wed", "thu", "fri"], calendar["workingDays"]!.AsArray().Select(d => d.Str()));
        var nodes = days["serviceCalendarDays"]!["nodes"]!.AsArray();
        Assert.Equal(9, days["serviceCalendarDays"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(("2026-09-20", "workday", "国庆节 补班"), (nodes[0]!["date"].Str(), nodes[0]!["kind"].Str(), nodes[0]!["name"].Str()));
        Assert.Equal(("2026-10-10", "workday"), (nodes[8]!["date"].Str(), nodes[8]!["kind"].Str()));
        Assert.All(nodes.Skip(1).Take(7), d => Assert.Equal("holiday", d!["kind"].Str()));
    }

    [Fact]
    public async Task Bad_calendars_holiday_files_and_policies_are_refused_with_typed_codes_and_nothing_is_written()
    {
        var tenant = await host.TenantAsync();
        const string NewCalendar = "mutation($i: CreateServiceCalendarInput!) { createServiceCalendar(input: $i) { serviceCalendar { id } userErrors { field code message } } }";
        const string NewDay = "mutation($i: CreateServiceCalendarDayInput!) { createServiceCalendarDay(input: $i) { serviceCalendarDay { id } userErrors { field code message } } }";
        const string NewPolicy = "mutation($i: CreateSlaPolicyInput!) { createSlaPolicy(input: $i) { slaPolicy { id } userErrors { field code message } } }";
        var calendar = (await tenant.CreateAsync("ServiceCalendar", new { name = "深圳" })).Id();
        await tenant.CreateAsync("ServiceCalendarDay", new { calendarId = calendar, date = "2026-10-01", kind = "holiday" });
        await tenant.CreateAsync("SlaPolicy", new { name = "紧急", priority = "urgent", calendarId = calendar, firstResponseMinutes = 30, resolutionMinutes = 240 });

        var zone = await tenant.Admin.RefusedAsync(NewCalendar, new { i = new { name = "火星", timeZone = "Mars/Olympus" } });
        var hours = await tenant.Admin.RefusedAsync(NewCalendar, new { i = new { name = "夜班", workdayStart = "18:00", workdayEnd = "09:00" } });
        var notHours = await tenant.Admin.RefusedAsync(NewCalendar, new { i = new { name = "乱写", workdayStart = "9 am" } });
        var notIcs = await tenant.Admin.RefusedAsync(Import, new { c = calendar, ics = "节假日：十月一日到七日" });
        var timed = await tenant.Admin.RefusedAsync(Import, new { c = calendar, ics = NationalDayIcs.Replace("DTSTART;VALUE=DATE:20261010", "DTSTART:20261010T090000Z", StringComparison.Ordinal) });
        var twice = await tenant.Admin.RefusedAsync(NewDay, new { i = new { calendarId = calendar, date = "2026-10-01", kind = "workday" } });
        var secondPolicy = await tenant.Admin.RefusedAsync(NewPolicy, new { i = new { name = "又一个紧急", priority = "urgent", calendarId = calendar, firstResponseMinutes = 60, resolutionMinutes = 480 } });
        var noTarget = await tenant.Admin.RefusedAsync(NewPolicy, new { i = new { name = "零", priority = "low", calendarId = calendar, firstResponseMinutes = 0, resolutionMinutes = 480 } });

        Assert.Equal(("SERVICE_INVALID_TIME_ZONE", "timeZone"), (zone.Code, zone.Field));
        Assert.Equal(("SERVICE_INVALID_HOURS", "workdayEnd"), (hours.Code, hours.Field));
        Assert.Equal(("SERVICE_INVALID_HOURS", "workdayStart"), (notHours.Code, notHours.Field));
        Assert.Equal(("SERVICE_INVALID_ICS", "ics"), (notIcs.Code, notIcs.Field));
        Assert.Equal(("SERVICE_INVALID_ICS", "ics"), (timed.Code, timed.Field));
        Assert.Equal(("SERVICE_DUPLICATE_DAY", "date"), (twice.Code, twice.Field));
        Assert.Equal(("SERVICE_DUPLICATE_POLICY", "priority"), (secondPolicy.Code, secondPolicy.Field));
        Assert.Equal("firstResponseMinutes", noTarget.Field);
        var counts = await tenant.QueryAsync("{ serviceCalendars { totalCount } serviceCalendarDays { totalCount } slaPolicies { totalCount } }");
        Assert.Equal((1, 1, 1), (counts["serviceCalendars"]!["totalCount"]!.GetValue<int>(), counts["serviceCalendarDays"]!["totalCount"]!.GetValue<int>(), counts["slaPolicies"]!["totalCount"]!.GetValue<int>()));
    }

    private static async Task<string> StatesAsync(ServiceTenant tenant) =>
        string.Join(",", (await tenant.QueryAsync("{ serviceCases(orderBy: [{ number: ASC }]) { nodes { subject slaState } } }"))["serviceCases"]!["nodes"]!.AsArray().Select(n => $"{n!["subject"].Str()}:{n["slaState"].Str()}"));
}
