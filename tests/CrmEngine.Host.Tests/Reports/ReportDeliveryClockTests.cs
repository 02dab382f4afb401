using CrmEngine.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CrmEngine.Host.Tests.Reports.ReportData;
using static CrmEngine.Host.Tests.Reports.ReportMail;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>
/// A subscription's runs on a host whose clock is a fake one: next runs are worked out from the host's
/// time, across a month end and the switch to summer time, and deliveries missed while no host ran
/// collapse into one.
/// </summary>
public sealed class ReportDeliveryClockTests
{
    private static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_monthly_delivery_on_the_31st_runs_on_month_ends_in_Berlin_time_and_missed_ones_collapse()
    {
        var time = new FakeTimeProvider(Utc(2026, 1, 30, 12));
        // The test runs the due deliveries itself: the host's own loop, woken by the clock's moves, would race it.
        using var host = new CrmHost(settings: new Dictionary<string, string?> { ["Crm:JobsEnabled"] = "false" }) { ConfigureTestServices = services => services.AddSingleton<TimeProvider>(time) };
        using var client = await TenantAsync(host);
        var report = await SaveAsync(client, new { name = "Contacts", entity = "contact" });
        var input = new { reportId = report, emails = new[] { "boss@example.cn" }, formats = new[] { "CSV" }, schedule = new { frequency = "MONTHLY", at = "09:00", timeZone = "Europe/Berlin", dayOfMonth = 31 } };
        var subscription = await SubscribeAsync(client, input);
        var id = subscription["id"]!.GetValue<string>();

        // 09:00 in Berlin is 08:00Z in winter.
        Assert.Equal(Utc(2026, 1, 31, 8), Time(subscription["nextRunAt"]));
        time.SetUtcNow(Utc(2026, 1, 31, 8));
        Assert.Equal(1, await RunDueAsync(host, client, time.GetUtcNow().UtcDateTime));
        var ran = (await ListAsync(client)).Single()!;
        Assert.Equal((Utc(2026, 1, 31, 8), Utc(2026, 2, 28, 8), "SENT"), (Time(ran["lastRunAt"]), Time(ran["nextRunAt"]), ran["lastOutcome"]!.GetValue<string>()));

        // No host ran on 28 February or 31 March: one delivery (for the first missed due time, as its
        // subject says) makes up for both, and the next is 30 April at 09:00 summer time, 07:00Z.
        time.SetUtcNow(Utc(2026, 4, 2));
        Assert.Equal(1, await RunDueAsync(host, client, time.GetUtcNow().UtcDateTime));
        Assert.Equal(0, await RunDueAsync(host, client, time.GetUtcNow().UtcDateTime));
        ran = (await ListAsync(client)).Single()!;
        Assert.Equal((Utc(2026, 4, 2), Utc(2026, 4, 30, 7)), (Time(ran["lastRunAt"]), Time(ran["nextRunAt"])));
        var mails = (await client.QueryAsync("{ messages { purpose recipient subject } }"))["messages"]!.AsArray();
        Assert.Equal(["Contacts (2026-02-28 09:00)", "Contacts (2026-01-31 09:00)"], mails.Select(m => m!["subject"]!.GetValue<string>()));

        // Made inactive, it has no next run and nothing runs.
        var paused = await SubscribeAsync(client, new { input.reportId, input.emails, input.formats, input.schedule, active = false }, id);
        Assert.Null(paused["nextRunAt"]);
        Assert.Equal(0, await RunDueAsync(host, client, Utc(2026, 5, 1)));
    }
}
