using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Scheduled sends on the jobs' clock (<c>RunDueJobsAsync(at)</c>): booked, visible on the campaign,
/// moved or cancelled while scheduled, run once by the <c>scheduled-send</c> job when due, the mails
/// received by a real loopback SMTP server.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class ScheduledSendTests(MarketingHost fixture)
{
    private const string Selection = "status sendAt sentCount skippedCount ranAt outcome";

    [Fact]
    public async Task A_booked_send_can_be_moved_and_goes_out_once_when_its_time_comes()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await fixture.TenantAsync();
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var campaign = await tenant.CampaignAsync("双十一预热", "email", new { emailSubject = "{{name}}，双十一预热", emailBody = "<p>您好</p>" });
        var zhang = await tenant.MemberAsync(campaign, "contact", await tenant.IdAsync("Contact", new { name = "张伟", email = "zhang@xingchen.cn" }));
        await tenant.MemberAsync(campaign, "contact", await tenant.IdAsync("Contact", new { name = "李娜", email = "li.na@xingchen.cn" }));
        await tenant.MemberAsync(campaign, "contact", await tenant.IdAsync("Contact", new { name = "无邮箱" }));
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });

        var day = Minute().AddDays(1);
        var send = (await tenant.CreateAsync("ScheduledSend", new { campaignId = campaign, sendAt = day }, Selection))["id"].Str();
        var booked = await tenant.ReadAsync("campaign", campaign, "scheduledSends { nodes { status sendAt } }");
        Assert.Equal(("scheduled", day), (booked["scheduledSends"]!["nodes"]![0]!["status"].Str(), booked["scheduledSends"]!["nodes"]![0]!["sendAt"]!.GetValue<DateTime>().ToUniversalTime()));

        // Moved a day later: the first time passes and nothing goes.
        await tenant.UpdateAsync("ScheduledSend", send, new { sendAt = day.AddDays(1) });
        await fixture.Host.RunDueJobsAsync(day.AddMinutes(1));
        Assert.Equal("scheduled", (await tenant.ReadAsync("scheduledSend", send, "status"))["status"].Str());
        Assert.Equal("targeted", (await tenant.ReadAsync("campaignMember", zhang, "memberStatus"))["memberStatus"].Str());

        // When due, the job sends to the targeted members once, and writes what it did.
        var due = day.AddDays(1).AddMinutes(1);
        await fixture.Host.RunDueJobsAsync(due);
        var ran = await tenant.ReadAsync("scheduledSend", send, Selection);
        Assert.Equal(("sent", 2, 1, "skipped: 1 NO_RECIPIENT_ADDRESS"), (ran["status"].Str(), ran["sentCount"].Int(), ran["skippedCount"].Int(), ran["outcome"].Str()));
        Assert.Equal(due, ran["ranAt"]!.GetValue<DateTime>().ToUniversalTime());
        // Sent, or already delivered when the same run's delivery check saw the relay accept it.
        Assert.Contains((await tenant.ReadAsync("campaignMember", zhang, "memberStatus"))["memberStatus"].Str(), new[] { "sent", "delivered" });
        var mails = await smtp.WaitForAsync(2);
        Assert.Equal(["li.na@xingchen.cn", "zhang@xingchen.cn"], mails.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.Contains(mails, m => m.Subject == "张伟，双十一预热" && m.Headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click");

        // Later runs send nothing more, and a send that ran can't be moved or cancelled.
        await fixture.Host.RunDueJobsAsync(due.AddMinutes(1));
        await Task.Delay(300);
        Assert.Equal(2, smtp.AcceptedCount);
        Assert.Equal(("MKT_INVALID_TRANSITION", "sendAt"), Pick(await tenant.UpdateRefusedAsync("ScheduledSend", send, new { sendAt = due.AddDays(1) })));
        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.UpdateRefusedAsync("ScheduledSend", send, new { status = "cancelled" })));
    }

    [Fact]
    public async Task A_cancelled_send_never_goes_and_one_whose_campaign_was_paused_fails_with_the_reason()
    {
        var tenant = await fixture.TenantAsync();
        var campaign = await tenant.CampaignAsync("会员日短信", "sms", new { smsText = "{{name}}，会员日快乐" });
        var member = await tenant.MemberAsync(campaign, "contact", await tenant.IdAsync("Contact", new { name = "张伟", phone = "+86 138 0000 0000" }));
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });
        var day = Minute().AddDays(1);
        var cancelled = (await tenant.CreateAsync("ScheduledSend", new { campaignId = campaign, sendAt = day }))["id"].Str();
        var paused = (await tenant.CreateAsync("ScheduledSend", new { campaignId = campaign, sendAt = day.AddHours(1) }))["id"].Str();
        await tenant.UpdateAsync("ScheduledSend", cancelled, new { status = "cancelled" });
        Assert.Equal(("MKT_INVALID_TRANSITION", "sendAt"), Pick(await tenant.UpdateRefusedAsync("ScheduledSend", cancelled, new { sendAt = day.AddDays(1) })));

        await fixture.Host.RunDueJobsAsync(day.AddMinutes(1));
        Assert.Equal(("cancelled", null), await StateAsync(tenant, cancelled));
        await tenant.UpdateAsync("Campaign", campaign, new { status = "paused" });
        await fixture.Host.RunDueJobsAsync(day.AddHours(1).AddMinutes(1));
        var (status, outcome) = await StateAsync(tenant, paused);
        Assert.Equal("failed", status);
        Assert.StartsWith("MKT_INVALID_TRANSITION: Campaign '会员日短信' is paused", outcome, StringComparison.Ordinal);
        Assert.Equal("targeted", (await tenant.ReadAsync("campaignMember", member, "memberStatus"))["memberStatus"].Str());
    }

    [Fact]
    public async Task Bad_bookings_are_refused_and_write_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var campaign = await tenant.CampaignAsync("周刊", "email", new { emailSubject = "周刊", emailBody = "<p>本周</p>" });
        var fair = await tenant.CampaignAsync("展会", "event");
        var finished = await tenant.CampaignAsync("旧活动", "email");
        await tenant.UpdateAsync("Campaign", finished, new { status = "cancelled" });
        var day = Minute().AddDays(1);

        Assert.Equal(("INVALID_INPUT", "sendAt"), Pick(await tenant.CreateRefusedAsync("ScheduledSend", new { campaignId = campaign, sendAt = DateTime.UtcNow.AddMinutes(-5) })));
        Assert.Equal(("INVALID_INPUT", "campaign"), Pick(await tenant.CreateRefusedAsync("ScheduledSend", new { campaignId = fair, sendAt = day })));
        Assert.Equal(("MKT_CAMPAIGN_CLOSED", "campaign"), Pick(await tenant.CreateRefusedAsync("ScheduledSend", new { campaignId = finished, sendAt = day })));
        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.CreateRefusedAsync("ScheduledSend", new { campaignId = campaign, sendAt = day, status = "sent" })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "sentCount"), Pick(await tenant.CreateRefusedAsync("ScheduledSend", new { campaignId = campaign, sendAt = day, sentCount = 5 })));
        Assert.Equal(0, await tenant.CountAsync("scheduledSends"));

        var send = (await tenant.CreateAsync("ScheduledSend", new { campaignId = campaign, sendAt = day }))["id"].Str();
        Assert.Equal(("INVALID_INPUT", "sendAt"), Pick(await tenant.UpdateRefusedAsync("ScheduledSend", send, new { sendAt = DateTime.UtcNow.AddHours(-1) })));
        Assert.Equal(("MKT_INVALID_TRANSITION", "status"), Pick(await tenant.UpdateRefusedAsync("ScheduledSend", send, new { status = "sent" })));
        Assert.Equal(("INVALID_INPUT", "campaign"), Pick(await tenant.UpdateRefusedAsync("ScheduledSend", send, new { campaignId = fair })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "outcome"), Pick(await tenant.UpdateRefusedAsync("ScheduledSend", send, new { outcome = "done" })));
        Assert.Equal(("scheduled", null), await StateAsync(tenant, send));
        Assert.Equal(day, (await tenant.ReadAsync("scheduledSend", send, "sendAt"))["sendAt"]!.GetValue<DateTime>().ToUniversalTime());
    }

    /// <summary>The next whole minute from now, in UTC.</summary>
    private static DateTime Minute()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
    }

    private static async Task<(string Status, string? Outcome)> StateAsync(MarketingTenant tenant, string id)
    {
        var send = await tenant.ReadAsync("scheduledSend", id, "status outcome");
        return (send["status"].Str(), send["outcome"]?.GetValue<string>());
    }

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
