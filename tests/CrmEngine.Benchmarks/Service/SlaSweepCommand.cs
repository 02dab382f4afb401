using System.Diagnostics;
using System.Globalization;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Jobs;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Service;

/// <summary>
/// The SLA sweep over many open cases (issue 21): a tenant with sales and service, a Shanghai
/// support calendar (09:00-18:00, Monday to Friday) and a policy per priority (urgent 1 h / 4 h, high
/// 2 h / 8 h, normal 4 h / 16 h, low 8 h / 32 h, warned at 80 %), then <c>--cases</c> new cases
/// imported untimed through the engine's bulk path (<c>RecordImporter</c>: each case through the
/// service module's before-hook, which finds its policy and computes its due and warning times in
/// business time and its state as of now, as a single create would), received over the five working
/// days before Monday 16 November 2026 10:00 (Shanghai), on a clock stopped there: the cases as the
/// product holds them, every state already moved up to that minute. Then one run of the
/// <c>sla-sweep</c> job a minute later (the scheduler's cadence: the few cases whose threshold falls in
/// that minute move), exactly as the scheduler runs it (<see cref="JobRunner"/>: the run history, the
/// system identity, the job's own record API and notifier), timed; then one for a due time
/// <c>--after</c> minutes after the seed (240: 14:00, the sweep catching up after four hours without
/// one, so about 9 % of the cases cross a threshold), timed; then one a minute after that (the steady state). The SLA states before and after each run, the cases it moved and the
/// notifications it sent are printed (all cases have one owner, so each move is one notification).
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- sla-sweep --cases 100000 [--after 240] [--store postgres]
/// </summary>
public static class SlaSweepCommand
{
    /// <summary>Monday 16 November 2026, 10:00 in Shanghai.</summary>
    private static readonly DateTime Start = new(2026, 11, 16, 2, 0, 0, DateTimeKind.Utc);

    private static readonly (string Priority, int FirstResponse, int Resolution)[] Policies = [("urgent", 60, 240), ("high", 120, 480), ("normal", 240, 960), ("low", 480, 1920)];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(LoadCommand.Option(args, "--cases", "100000"), CultureInfo.InvariantCulture);
        var after = int.Parse(LoadCommand.Option(args, "--after", "240"), CultureInfo.InvariantCulture);
        var clock = new StoppedClock(Start);
        await using var host = await ServiceBenchHost.StartAsync(args, clock);
        var tenant = await host.CreateTenantAsync("sales", "service");
        var calendar = (await tenant.Admin.MutateAsync("mutation { createServiceCalendar(input: {name: \"上海支持中心\", timeZone: \"Asia/Shanghai\", workdayStart: \"09:00\", workdayEnd: \"18:00\"}) { serviceCalendar { id } userErrors { field code message } } }"))["serviceCalendar"]!["id"]!.GetValue<string>();
        foreach (var (priority, first, resolution) in Policies)
        {
            await tenant.Admin.MutateAsync("mutation($i: CreateSlaPolicyInput!) { createSlaPolicy(input: $i) { slaPolicy { id } userErrors { field code message } } }", new { i = new { name = priority, priority, calendarId = calendar, firstResponseMinutes = first, resolutionMinutes = resolution } });
        }

        var store = await host.Services.GetRequiredService<TenantRegistry>().GetAsync(tenant.Id, CancellationToken.None);
        // The cases belong to the admin key's user, so the sweep's notifications reach a real recipient.
        var me = (await tenant.Admin.QueryAsync("{ me { userId } }"))["me"]!["userId"]!.GetValue<string>();
        var owner = GlobalId.TryDecode(me, out _, out var userId) ? userId : throw new InvalidOperationException("No user id: " + me);
        var session = new CrmSession(store, new CrmPrincipal(tenant.Id, owner, null, [CrmPrincipal.AdminRole]));
        var seeding = Stopwatch.StartNew();
        var imported = await host.Services.GetRequiredService<RecordImporter>().ImportAsync(session, "serviceCase", Enumerable.Range(0, count).Select(Case), 5000, CancellationToken.None);
        Console.WriteLine($"Imported {imported.Imported:N0} open cases ({imported.Refused.Count} refused) in {seeding.Elapsed.TotalSeconds:F1} s on {ServiceBenchHost.Store(args)} (RecordImporter, the service module's before-hook computing each SLA clock).");
        if (imported.Imported != count)
        {
            Console.Error.WriteLine($"The seed was refused: {string.Join("; ", imported.Refused.Take(3).SelectMany(r => r.Errors).Select(e => $"{e.Code} {e.Message}"))}");
            return 1;
        }

        Console.WriteLine($"  SLA states as seeded: {await StatesAsync(tenant.Admin)}");
        var scheduler = host.Services.GetRequiredService<PluginJobScheduler>();
        var runner = host.Services.GetRequiredService<JobRunner>();
        var job = scheduler.Find("service", "sla-sweep") ?? throw new InvalidOperationException("The service module's sla-sweep job is not loaded.");
        var failed = false;
        // The scheduler's cadence first (the minute after the state the seed holds), then a catch-up after
        // --after minutes without a sweep (a host down), then the minute after that (the steady state).
        foreach (var (label, at) in new[] { ("the next minute", Start.AddMinutes(1)), ($"first sweep after {after} min without one", Start.AddMinutes(after)), ("the minute after: steady state", Start.AddMinutes(after + 1)) })
        {
            clock.Now = at;
            var notificationsBefore = await NotificationsAsync(store);
            var timer = Stopwatch.StartNew();
            var run = await runner.RunAsync(store, "service", job, JobTrigger.Schedule, at, CancellationToken.None);
            timer.Stop();
            failed |= run.Outcome != "succeeded";
            Console.WriteLine($"sla-sweep over {count:N0} open cases at {at.AddHours(8):yyyy-MM-dd HH:mm} Shanghai ({label}): {timer.Elapsed.TotalSeconds:F2} s (target < 5 s), outcome {run.Outcome}{(run.ErrorCode is null ? string.Empty : " " + run.ErrorCode)}");
            Console.WriteLine($"  SLA states after: {await StatesAsync(tenant.Admin)}; {await MovedAsync(tenant.Admin, at):N0} cases moved; {await NotificationsAsync(store) - notificationsBefore:N0} notifications sent");
        }

        return failed ? 1 : 0;
    }

    /// <summary>Case <paramref name="i"/>: a priority in the proportions of a support desk, received at a minute of the last five working days' hours.</summary>
    private static Dictionary<string, object?> Case(int i)
    {
        var priority = (i % 20) switch { 0 => "urgent", < 4 => "high", < 16 => "normal", _ => "low" };
        var day = i * 7919 % 5;
        // In long: i * 104729 overflows an int from i = 20,506 on, and a negative minute put the case in the future.
        var minute = (int)((long)i * 104729 % 540);
        // Working days before Monday 16 November: 9-13 November (Monday to Friday), and the morning of the 16th for the latest.
        var received = day == 4 && minute < 60
            ? Start.AddMinutes(-minute - 1)
            : new DateTime(2026, 11, 9 + day, 1, 0, 0, DateTimeKind.Utc).AddMinutes(minute);
        return new Dictionary<string, object?>
        {
            ["subject"] = $"工单 {i}：设备 RX-{i % 50} 无法联网",
            ["description"] = "客户反映设备每天下午掉线，已重启无效。",
            ["priority"] = priority,
            ["channel"] = (i % 3) switch { 0 => "email", 1 => "phone", _ => "web" },
            ["receivedAt"] = received,
        };
    }

    private static async Task<string> StatesAsync(CrmEngine.Sdk.Testing.GraphQLClient admin)
    {
        var groups = (await admin.QueryAsync("{ serviceCasesAggregate(groupBy: [{field: slaState}]) { groups { key { slaState } count } } }"))["serviceCasesAggregate"]!["groups"]!.AsArray();
        return string.Join(", ", groups.Select(g => $"{g!["key"]!["slaState"]} {g["count"]!.GetValue<long>():N0}"));
    }

    /// <summary>The cases the run for <paramref name="at"/> wrote: their SLA state is stamped as checked then.</summary>
    private static async Task<long> MovedAsync(CrmEngine.Sdk.Testing.GraphQLClient admin, DateTime at) =>
        (await admin.QueryAsync("query($at: DateTime!) { serviceCases(filter: { slaCheckedAt: { eq: $at } }, first: 1) { totalCount } }", new { at }))["serviceCases"]!["totalCount"]!.GetValue<long>();

    private static async Task<long> NotificationsAsync(TenantStore store)
    {
        await using var context = store.CreateContext();
        return await context.Set<NotificationRow>().LongCountAsync();
    }
}
