using System.Globalization;
using CrmEngine.Host.Tests.Messaging;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing.Messaging;
using static CrmEngine.Host.Tests.Reports.ReportData;
using static CrmEngine.Host.Tests.Reports.ReportMail;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>
/// Scheduled deliveries of the <see cref="ReportData"/> contacts' reports: run at their due time by the
/// scheduler, mailed through the messaging service to a real SMTP server on loopback, and their
/// attachments read back (CSV with CsvHelper, XLSX with MiniExcel) against hand-computed figures.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ReportDeliveryTests(HostFixture fixture)
{
    private static object ByStatus(object? filter = null) => new
    {
        name = "Contacts by status",
        entity = "contact",
        filter,
        groupBy = new[] { new { field = "status" } },
        measures = new object[] { new { function = "COUNT", percentOfTotal = true }, new { function = "SUM", field = "budget" } },
    };

    private static decimal? Number(object? cell) => cell is null || cell as string == string.Empty ? null : Convert.ToDecimal(cell, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_subscription_mails_the_report_as_CSV_and_XLSX_once_per_due_time()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await TenantAsync(fixture.Host);
        await MessagingQueries.UseSmtpAsync(client, smtp.Port);
        var report = await SaveAsync(client, ByStatus());
        var subscription = await SubscribeAsync(client, new { reportId = report, emails = new[] { "Boss@Example.cn" }, formats = new[] { "CSV", "XLSX" }, schedule = Daily() });

        // 08:00 in Shanghai is midnight UTC, within the next day.
        var due = Time(subscription["nextRunAt"]);
        Assert.Equal(TimeSpan.Zero, due.TimeOfDay);
        Assert.InRange(due, DateTime.UtcNow, DateTime.UtcNow.AddDays(1));
        Assert.Equal(["boss@example.cn"], subscription["emails"]!.AsArray().Select(e => e!.GetValue<string>()));

        Assert.False(await SweepFindsAsync(fixture.Host, client, due.AddMinutes(-1)));
        Assert.True(await SweepFindsAsync(fixture.Host, client, due));
        Assert.Equal(0, await RunDueAsync(fixture.Host, client, due.AddMinutes(-1)));
        Assert.Equal(1, await RunDueAsync(fixture.Host, client, due));
        Assert.Equal(0, await RunDueAsync(fixture.Host, client, due.AddMinutes(5)));
        Assert.False(await SweepFindsAsync(fixture.Host, client, due.AddMinutes(5)));
        var mail = Assert.Single(await smtp.WaitForAsync(1));

        Assert.Equal($"Contacts by status ({due:yyyy-MM-dd} 08:00)", mail.Subject);
        var csv = await AttachmentAsync(mail, ".csv");
        Assert.Equal(($"Contacts by status-{due:yyyy-MM-dd}.csv", "text/csv"), (csv.Name, csv.Type));
        // lost: F 400 and C (no budget); new: D (no budget: a sum of nothing is 0); won: A 100.5, B 200, E 300.
        var lines = Csv(csv.Content);
        Assert.Equal(["status", "count", "count %", "sumBudget"], lines[0]);
        Assert.Equal(
            [("lost", 2m, 33.33m, 400m), ("new", 1m, 16.67m, 0m), ("won", 3m, 50m, 600.5m), ("Total", 6m, 100m, 1000.5m)],
            lines.Skip(1).Select(l => (l[0], Number(l[1])!.Value, Number(l[2])!.Value, Number(l[3]))));

        var xlsx = await AttachmentAsync(mail, ".xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Type);
        var rows = Xlsx(xlsx.Content);
        Assert.Equal(["status", "count", "count %", "sumBudget"], rows[0].Keys);
        Assert.Equal(
            [("lost", 2m, 400m), ("new", 1m, 0m), ("won", 3m, 600.5m), ("Total", 6m, 1000.5m)],
            rows.Select(r => ((string)r["status"]!, Number(r["count"])!.Value, Number(r["sumBudget"]))));

        var recorded = Assert.Single(await ListAsync(client, report))!;
        Assert.Equal(("SENT", null), (recorded["lastOutcome"]!.GetValue<string>(), recorded["lastError"]?.GetValue<string>()));
        Assert.NotNull(recorded["lastRunAt"]);
        Assert.Equal(due.AddDays(1), Time(recorded["nextRunAt"]));
    }

    [Fact]
    public async Task With_only_when_rows_an_empty_report_is_skipped_while_a_plain_subscription_still_gets_its_header()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await TenantAsync(fixture.Host);
        await MessagingQueries.UseSmtpAsync(client, smtp.Port);
        var report = await SaveAsync(client, ByStatus(new { name = new { eq = "nobody" } }));
        var skipped = await SubscribeAsync(client, new { reportId = report, emails = new[] { "only-rows@example.cn" }, formats = new[] { "CSV" }, schedule = Daily(), onlyWhenRows = true });
        await SubscribeAsync(client, new { reportId = report, emails = new[] { "always@example.cn" }, formats = new[] { "CSV" }, schedule = Daily() });

        Assert.Equal(2, await RunDueAsync(fixture.Host, client, Time(skipped["nextRunAt"])));
        var mail = Assert.Single(await smtp.WaitForAsync(1));
        await Task.Delay(300);

        Assert.Single(smtp.Received);
        Assert.Equal("always@example.cn", mail.To.Mailboxes.Single().Address);
        Assert.Equal([["status", "count", "count %", "sumBudget"], ["Total", "0", string.Empty, string.Empty]], Csv((await AttachmentAsync(mail, ".csv")).Content));
        Assert.Equal(["SKIPPED", "SENT"], (await ListAsync(client, report)).Select(s => s!["lastOutcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_delivery_that_fails_records_its_error_and_the_other_subscriptions_are_still_sent()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await TenantAsync(fixture.Host);
        await MessagingQueries.UseSmtpAsync(client, smtp.Port);
        var gone = await SaveAsync(client, ByStatus());
        var kept = await SaveAsync(client, ByStatus());
        var first = await SubscribeAsync(client, new { reportId = gone, emails = new[] { "first@example.cn" }, formats = new[] { "CSV" }, schedule = Daily() });
        await SubscribeAsync(client, new { reportId = kept, emails = new[] { "second@example.cn" }, formats = new[] { "XLSX" }, schedule = Daily() });
        await client.MutateAsync("mutation($id: ID!) { deleteReport(id: $id) { userErrors { code } } }", new { id = gone });

        Assert.Equal(2, await RunDueAsync(fixture.Host, client, Time(first["nextRunAt"])));
        var mail = Assert.Single(await smtp.WaitForAsync(1));

        Assert.Equal("second@example.cn", mail.To.Mailboxes.Single().Address);
        var failed = Assert.Single(await ListAsync(client, gone))!;
        Assert.Equal(("FAILED", "The report was deleted."), (failed["lastOutcome"]!.GetValue<string>(), failed["lastError"]!.GetValue<string>()));
        // A failed run waits for its next due time like a sent one.
        Assert.Equal(Time(first["nextRunAt"]).AddDays(1), Time(failed["nextRunAt"]));
        Assert.Equal("SENT", (await ListAsync(client, kept)).Single()!["lastOutcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_subscriptions_are_refused_with_typed_errors_and_nothing_is_saved()
    {
        using var client = await TenantAsync(fixture.Host);
        var report = await SaveAsync(client, ByStatus());
        object Input(object? schedule = null, string? reportId = null, string[]? emails = null, string[]? formats = null) =>
            new { reportId = reportId ?? report, emails = emails ?? ["boss@example.cn"], formats = formats ?? ["CSV"], schedule = schedule ?? Daily() };

        Assert.Equal(["NOT_FOUND reportId"], await RefusedAsync(client, Input(reportId: CrmEngine.Sdk.Records.RecordIds.GlobalId("Report", Guid.CreateVersion7()))));
        Assert.Equal(["INVALID_ID reportId"], await RefusedAsync(client, Input(reportId: "not an id")));
        Assert.Equal(["INVALID_SCHEDULE schedule.timeZone"], await RefusedAsync(client, Input(Daily(timeZone: "Mars/Olympus_Mons"))));
        Assert.Equal(["INVALID_SCHEDULE schedule.at"], await RefusedAsync(client, Input(Daily(at: "25:00"))));
        Assert.Equal(["INVALID_SCHEDULE schedule.weekdays"], await RefusedAsync(client, Input(new { frequency = "WEEKLY", at = "08:00" })));
        Assert.Equal(["INVALID_SCHEDULE schedule.dayOfMonth"], await RefusedAsync(client, Input(new { frequency = "MONTHLY", at = "08:00", dayOfMonth = 0 })));
        Assert.Equal(["INVALID_RECIPIENT recipients.emails[0]", "INVALID_RECIPIENT recipients.emails[1]"],
            await RefusedAsync(client, Input(emails: ["not-an-address", "Boss <boss@example.cn>"])));
        Assert.Equal(["REQUIRED recipients"], await RefusedAsync(client, Input(emails: [])));
        Assert.Equal(["REQUIRED formats"], await RefusedAsync(client, Input(formats: [])));
        // Everything wrong at once is said at once.
        Assert.Equal(["INVALID_SCHEDULE schedule.at", "REQUIRED formats", "REQUIRED recipients"], await RefusedAsync(client, Input(Daily(at: "8 o'clock"), emails: [], formats: [])));

        Assert.Empty(await ListAsync(client));
    }
}
