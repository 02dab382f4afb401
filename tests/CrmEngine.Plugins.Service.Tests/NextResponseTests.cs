using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Next response targets on a stopped clock: after the first answer, each customer reply (real mail
/// over SMTP) gives the agent the policy's next response target in business time (Shanghai,
/// 09:00-18:00, Monday to Friday); the sweep warns at 80 % and breaches at the due time; asking the
/// customer (pending customer) answers the reply, so no next response clock runs while the case waits
/// for them.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class NextResponseTests(ServiceHost host)
{
    private const string Fields = "number status slaState awaitingResponseSince nextResponseWarnAt nextResponseDueAt nextResponseBreaches";

    /// <summary>Monday 2 November 2026 in Shanghai (UTC+8).</summary>
    private static DateTime At(int day, int hour, int minute = 0) => new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    private static string Cst(int day, int hour, int minute = 0) => EscalationTests.Cst(2026, 11, day, hour, minute);

    [Fact]
    public async Task A_reply_late_on_monday_is_due_an_answer_two_business_hours_later_on_tuesday_and_breaches_when_left()
    {
        using var clock = host.Clock.At(At(2, 10));
        var (tenant, domain) = await DeskAsync();
        await host.SendAsync(MailToCaseTests.Mail("周涛", "zhou.tao@client.cn", "support@" + domain, "门禁系统离线", "door-1@client.cn"));
        var id = (await CaseAsync(tenant, c => c is not null))["id"].Str();
        host.Clock.Set(At(2, 10, 30));
        await tenant.RunAsync(CaseLifecycleTests.Respond, new { id, b = "请检查网线连接。" });

        host.Clock.Set(At(2, 17));
        await host.SendAsync(MailToCaseTests.Mail("周涛", "zhou.tao@client.cn", "support@" + domain, "Re: [CS-00001] 门禁系统离线", "door-2@client.cn"));
        var replied = await CaseAsync(tenant, c => c?["nextResponseDueAt"] is not null);
        var warned = await SweepAsync(tenant, At(3, 9, 36));
        var breached = await SweepAsync(tenant, At(3, 10));
        host.Clock.Set(At(3, 10, 30));
        var answered = await tenant.RunAsync(CaseLifecycleTests.Respond.Replace(CaseLifecycleTests.Fields, Fields, StringComparison.Ordinal), new { id, b = "已远程重启控制器。" });

        // 2 h from Monday 17:00: 1 h on Monday, 1 h on Tuesday: 10:00; 80 % is 96 min: Tuesday 09:36.
        Assert.Equal((Cst(2, 17), Cst(3, 9, 36), Cst(3, 10)), (replied["awaitingResponseSince"].Str(), replied["nextResponseWarnAt"].Str(), replied["nextResponseDueAt"].Str()));
        Assert.Equal(("ok", "warning", "breached"), (replied["slaState"].Str(), warned, breached));
        Assert.Equal((1, "breached", true, true), (answered["nextResponseBreaches"]!.GetValue<int>(), answered["slaState"].Str(), answered["nextResponseDueAt"] is null, answered["awaitingResponseSince"] is null));
    }

    [Fact]
    public async Task Asking_the_customer_answers_their_reply_so_nothing_runs_out_while_the_case_waits_and_their_next_reply_starts_a_new_clock()
    {
        using var clock = host.Clock.At(At(2, 10));
        var (tenant, domain) = await DeskAsync();
        await host.SendAsync(MailToCaseTests.Mail("吴敏", "wu.min@client.cn", "support@" + domain, "报表导出乱码", "csv-1@client.cn"));
        var id = (await CaseAsync(tenant, c => c is not null))["id"].Str();
        host.Clock.Set(At(2, 10, 30));
        await tenant.RunAsync(CaseLifecycleTests.Respond, new { id, b = "请问使用的是哪个浏览器？" });
        host.Clock.Set(At(2, 11));
        await host.SendAsync(MailToCaseTests.Mail("吴敏", "wu.min@client.cn", "support@" + domain, "Re: [CS-00001] 报表导出乱码", "csv-2@client.cn"));
        await CaseAsync(tenant, c => c?["nextResponseDueAt"] is not null);

        host.Clock.Set(At(2, 12));
        var waiting = await tenant.RunAsync(CaseLifecycleTests.Move.Replace(CaseLifecycleTests.Fields, Fields, StringComparison.Ordinal), new { id, s = "pendingCustomer" });
        var afterDue = await SweepAsync(tenant, At(2, 14));
        host.Clock.Set(At(4, 16));
        await host.SendAsync(MailToCaseTests.Mail("吴敏", "wu.min@client.cn", "support@" + domain, "Re: [CS-00001] 报表导出乱码", "csv-3@client.cn"));
        var back = await CaseAsync(tenant, c => c?["status"].Str() == "open");

        Assert.Equal(("pendingCustomer", "paused", true, 0), (waiting["status"].Str(), waiting["slaState"].Str(), waiting["nextResponseDueAt"] is null, waiting["nextResponseBreaches"]!.GetValue<int>()));
        Assert.Equal("paused", afterDue);

        // Wednesday 16:00 + 2 h of business time: 18:00 the same day.
        Assert.Equal((Cst(4, 18), "ok", 0), (back["nextResponseDueAt"].Str(), back["slaState"].Str(), back["nextResponseBreaches"]!.GetValue<int>()));
    }

    /// <summary>A mail tenant with the Shanghai calendar and a normal policy: 4 h first response, 2 h next response, 5 days resolution.</summary>
    private async Task<(ServiceTenant Tenant, string Domain)> DeskAsync()
    {
        var domain = $"n{Guid.NewGuid():N}"[..13] + ".example";
        var tenant = await host.TenantAsync(domain);
        var calendar = await tenant.CreateAsync("ServiceCalendar", new { name = "上海支持中心", timeZone = "Asia/Shanghai" });
        await tenant.CreateAsync("SlaPolicy", new { name = "普通工单", priority = "normal", calendarId = calendar.Id(), firstResponseMinutes = 240, nextResponseMinutes = 120, resolutionMinutes = 2700 });
        return (tenant, domain);
    }

    private static async Task<JsonNode> CaseAsync(ServiceTenant tenant, Func<JsonNode?, bool> done) =>
        (await tenant.Admin.EventuallyAsync($"{{ serviceCases {{ nodes {{ id {Fields} }} }} }}", d => done(d["serviceCases"]!["nodes"]!.AsArray().FirstOrDefault())))["serviceCases"]!["nodes"]![0]!;

    private async Task<string> SweepAsync(ServiceTenant tenant, DateTime at)
    {
        host.Clock.Set(at);
        await host.RunJobsAsync(at);
        return (await CaseAsync(tenant, c => c is not null))["slaState"].Str();
    }
}
