using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Messaging;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing.Messaging;
using static CrmEngine.Host.Tests.Reports.ReportData;
using static CrmEngine.Host.Tests.Reports.ReportMail;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>
/// Who may subscribe and with whose rights a delivery runs, in the <see cref="Office"/>: accounts by
/// industry count 1 for alice (ownRep), 2 for bob (teamRep, margin hidden) and 3 for dave (reads all).
/// Each user recipient gets the report run with their own rights; addresses get the subscriber's.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ReportDeliveryRightsTests(HostFixture fixture)
{
    private static object ByIndustry(string access = "PUBLIC", object? measures = null) =>
        new { name = "Accounts by industry", entity = "account", groupBy = new[] { new { field = "industry" } }, sharing = new { access }, measures };

    [Fact]
    public async Task Each_user_recipient_gets_the_report_with_their_own_rights_and_addresses_get_the_subscribers()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var office = await Office.OpenAsync(fixture.Host);
        await MessagingQueries.UseSmtpAsync(office.Admin, smtp.Port);
        var report = await SaveAsync(office.As["dave"], ByIndustry());
        var subscription = await SubscribeAsync(office.As["dave"], new
        {
            reportId = report,
            users = new[] { office.UserIds["alice"], office.UserIds["bob"] },
            emails = new[] { "partner@example.cn" },
            formats = new[] { "CSV" },
            schedule = new { frequency = "WEEKLY", at = "07:15", timeZone = "Europe/London", weekdays = new[] { "MONDAY" } },
        });

        Assert.Equal(1, await RunDueAsync(fixture.Host, office.Admin, Time(subscription["nextRunAt"])));
        var mails = await smtp.WaitForAsync(3);

        async Task<List<string[]>> Sheet(string address) => Csv((await AttachmentAsync(To(mails, address), ".csv")).Content);
        Assert.Equal([["industry", "count"], ["retail", "1"], ["Total", "1"]], await Sheet("alice@office.example"));
        Assert.Equal([["industry", "count"], ["retail", "2"], ["Total", "2"]], await Sheet("bob@office.example"));
        Assert.Equal([["industry", "count"], ["retail", "3"], ["Total", "3"]], await Sheet("partner@example.cn"));
        Assert.Equal("SENT", (await ListAsync(office.As["dave"])).Single()!["lastOutcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_recipient_who_can_no_longer_receive_is_recorded_and_the_others_still_get_theirs()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var office = await Office.OpenAsync(fixture.Host);
        await MessagingQueries.UseSmtpAsync(office.Admin, smtp.Port);
        var report = await SaveAsync(office.As["dave"], ByIndustry());
        var subscription = await SubscribeAsync(office.As["dave"], new { reportId = report, users = new[] { office.UserIds["alice"], office.UserIds["bob"] }, formats = new[] { "CSV" }, schedule = Daily() });
        await office.Admin.MutateAsync("mutation($id: ID!) { updateUser(id: $id, active: false) { userErrors { code } } }", new { id = office.UserIds["alice"] });

        Assert.Equal(1, await RunDueAsync(fixture.Host, office.Admin, Time(subscription["nextRunAt"])));
        var mail = Assert.Single(await smtp.WaitForAsync(1));

        Assert.Equal("bob@office.example", mail.To.Mailboxes.Single().Address);
        var recorded = (await ListAsync(office.As["dave"])).Single()!;
        Assert.Equal("PARTLY_SENT", recorded["lastOutcome"]!.GetValue<string>());
        Assert.Equal("alice@office.example: The user is no longer active.", recorded["lastError"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_who_can_run_the_report_subscribes_and_only_users_who_see_it_receive_it()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var daves = await SaveAsync(office.As["dave"], ByIndustry("PRIVATE"));
        var margins = await SaveAsync(office.As["dave"], ByIndustry(measures: new object[] { new { function = "SUM", field = "margin" } }));
        object Input(string report, string[]? users = null) => new { reportId = report, users, emails = users is null ? new[] { "me@example.cn" } : null, formats = new[] { "CSV" }, schedule = Daily() };

        // carol doesn't see dave's private report; bob sees the public one but may not read margin.
        Assert.Equal(["NOT_FOUND reportId"], await RefusedAsync(office.As["carol"], Input(daves)));
        Assert.Equal(["FORBIDDEN reportId"], await RefusedAsync(office.As["bob"], Input(margins)));
        // carol can't be sent a report she doesn't see.
        Assert.Equal(["INVALID_RECIPIENT recipients.users[0]"], await RefusedAsync(office.As["dave"], Input(daves, [office.UserIds["carol"]])));
        Assert.Empty(await ListAsync(office.Admin));

        // A subscription is its subscriber's: others neither list nor delete it; admins see everyone's.
        var mine = await SubscribeAsync(office.As["dave"], Input(daves));
        Assert.Empty(await ListAsync(office.As["alice"]));
        var delete = await office.As["alice"].QueryAsync("mutation($id: ID!) { deleteReportSubscription(id: $id) { userErrors { code } } }", new { id = mine["id"]!.GetValue<string>() });
        Assert.Equal("NOT_FOUND", delete["deleteReportSubscription"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Single(await ListAsync(office.Admin));
        await office.As["dave"].MutateAsync("mutation($id: ID!) { deleteReportSubscription(id: $id) { userErrors { code } } }", new { id = mine["id"]!.GetValue<string>() });
        Assert.Empty(await ListAsync(office.Admin));
    }
}
