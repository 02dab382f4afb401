namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// The SLA sweep over more due cases than one of its write chunks holds (the fixture has the engine
/// write batched updates 20 to a transaction, 500 by default): every case moves once per threshold, and its owner hears of each
/// move exactly once. A Shanghai calendar (09:00-18:00, Monday to Friday), normal cases 4 h first
/// response warned at 80 % (3 h 12 min), on a stopped clock; Shanghai is UTC+8.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class SlaSweepBatchTests(ServiceHost host)
{
    private const int Burst = 45;

    private const string CreateMany = "mutation($i: [CreateServiceCaseInput!]!) { createManyServiceCases(inputs: $i) { results { userErrors { code message } } userErrors { code message } } }";

    private static DateTime At(int hour, int minute = 0) => new DateTime(2026, 10, 13, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    [Fact]
    public async Task A_sweep_over_more_due_cases_than_a_write_chunk_moves_each_once_and_tells_its_owner_once_per_move()
    {
        using var clock = host.Clock.At(At(9));
        var tenant = await host.TenantAsync();
        var calendar = await tenant.CreateAsync("ServiceCalendar", new { name = "上海支持中心", timeZone = "Asia/Shanghai", workdayStart = "09:00", workdayEnd = "18:00" });
        await tenant.CreateAsync("SlaPolicy", new { name = "普通工单", priority = "normal", calendarId = calendar.Id(), firstResponseMinutes = 240, resolutionMinutes = 960 });
        // Tuesday 13 October 09:00: 45 cases (three chunks) in one bulk create, warned at 12:12, due 13:00.
        var created = await tenant.Admin.MutateAsync(CreateMany, new { i = Enumerable.Range(1, Burst).Select(n => new { subject = $"批量工单 {n}：打印机脱机" }) });
        Assert.All(created["results"]!.AsArray(), r => Assert.Empty(r!["userErrors"]!.AsArray()));
        // 10:00: one more, warned at 13:12: within target through every sweep below.
        host.Clock.Set(At(10));
        var later = (await tenant.CreateAsync("ServiceCase", new { subject = "无法连接 VPN" })).Id();

        var statesAfter = new List<string>();
        foreach (var at in new[] { At(12, 12), At(12, 40), At(13), At(13, 1) })
        {
            host.Clock.Set(at);
            await host.RunJobsAsync(at);
            statesAfter.Add(await StatesAsync(tenant));
        }

        var notices = await NoticesAsync(tenant);

        Assert.Equal(["ok:1,warning:45", "ok:1,warning:45", "breached:45,ok:1", "breached:45,ok:1"], statesAfter);
        // Each of the 45 heard twice (warned, then breached), once each; the later case not at all.
        Assert.Equal(Burst * 2, notices.Count);
        var perCase = notices.GroupBy(n => n.Case).ToList();
        Assert.Equal(Burst, perCase.Count);
        Assert.DoesNotContain(perCase, g => g.Key == later);
        Assert.All(perCase, g => Assert.Equal(["breached", "close"], g.Select(n => n.Message.Contains("breached", StringComparison.Ordinal) ? "breached" : "close").Order()));
    }

    private static async Task<string> StatesAsync(ServiceTenant tenant)
    {
        var groups = (await tenant.QueryAsync("{ serviceCasesAggregate(groupBy: [{field: slaState}]) { groups { key { slaState } count } } }"))["serviceCasesAggregate"]!["groups"]!.AsArray();
        return string.Join(",", groups.Select(g => $"{g!["key"]!["slaState"].Str()}:{g["count"]!.GetValue<int>()}").Order(StringComparer.Ordinal));
    }

    /// <summary>All of the admin's notifications, read 500 at a time (the query's page) and marked read as they are read.</summary>
    private static async Task<List<(string Case, string Message)>> NoticesAsync(ServiceTenant tenant)
    {
        var all = new List<(string Case, string Message)>();
        while (true)
        {
            var page = (await tenant.QueryAsync("{ notifications(unreadOnly: true, first: 500) { id message recordId } }"))["notifications"]!.AsArray();
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page.Select(n => (n!["recordId"].Str(), n["message"].Str())));
            var marked = await tenant.Admin.MutateAsync("mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { marked userErrors { code message } } }", new { ids = page.Select(n => n!.Id()).ToList() });
            Assert.Equal(page.Count, marked["marked"]!.GetValue<int>());
        }
    }
}
