using System.Net;
using System.Text.Json.Nodes;
using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>serviceAnalytics: figures per channel, category and month, computed by hand from four cases on a stopped clock.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class ServiceAnalyticsTests(ServiceHost host)
{
    private const string Analytics = "query($g: ServiceAnalyticsGroup!, $from: DateTime, $to: DateTime) { serviceAnalytics(groupBy: $g, from: $from, to: $to) { key volume backlog averageFirstResponseMinutes averageResolutionMinutes slaCompliancePercent averageCsat csatAnswers } }";

    private const string Respond = "mutation($id: ID!) { respondToServiceCase(id: $id, body: \"正在处理。\") { result { id } userErrors { field code message } } }";

    [Fact]
    public async Task Volume_backlog_response_and_resolution_times_sla_compliance_and_csat_are_figured_per_channel_category_and_month()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var monday = new DateTime(2026, 11, 2, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai
        using var clock = host.Clock.At(monday);
        var tenant = await host.TenantAsync();
        await tenant.UseSmtpAsync(smtp.Port);
        var calendar = await tenant.CreateAsync("ServiceCalendar", new { name = "上海", timeZone = "Asia/Shanghai", workdayStart = "09:00", workdayEnd = "18:00" });
        await tenant.CreateAsync("SlaPolicy", new { name = "高优先级", priority = "high", calendarId = calendar.Id(), firstResponseMinutes = 45, resolutionMinutes = 60 });
        var contact = (await tenant.CreateAsync("Contact", new { name = "林涛", email = "lin.tao@example.cn" })).Id();
        var late = (await tenant.CreateAsync("ServiceCase", new { subject = "A", channel = "phone", category = "incident", priority = "high", contactId = contact })).Id();
        var quick = (await tenant.CreateAsync("ServiceCase", new { subject = "D", channel = "phone", category = "incident", priority = "high", contactId = contact })).Id();
        var open = (await tenant.CreateAsync("ServiceCase", new { subject = "B", channel = "email", category = "incident" })).Id();
        await tenant.CreateAsync("ServiceCase", new { subject = "C", channel = "phone", category = "question", receivedAt = "2026-10-15T02:00:00Z" });

        host.Clock.Set(monday.AddMinutes(30));
        await tenant.RunAsync(Respond, new { id = late });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = quick, s = "resolved", r = "已解决。" });
        host.Clock.Set(monday.AddMinutes(60));
        await tenant.RunAsync(Respond, new { id = open });
        host.Clock.Set(monday.AddMinutes(120));
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = late, s = "resolved", r = "已解决。" });
        var mails = await smtp.WaitForAsync(2);
        using var http = new HttpClient { BaseAddress = host.Host.BaseAddress };
        foreach (var mail in mails)
        {
            var score = (mail.Subject ?? string.Empty).Contains("CS-00001", StringComparison.Ordinal) ? "2" : "5";
            var answer = await http.PostAsync(SatisfactionSurveyTests.LinkIn(mail), new FormUrlEncodedContent([KeyValuePair.Create("score", score)]));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var november = new { from = "2026-11-01T00:00:00Z", to = "2026-12-01T00:00:00Z" };
        var byChannel = await FiguresAsync(tenant, new { g = "CHANNEL", november.from, november.to });
        var byMonth = await FiguresAsync(tenant, new { g = "MONTH" });
        var byCategory = await FiguresAsync(tenant, new { g = "CATEGORY" });
        var backwards = await tenant.Admin.QueryErrorAsync(Analytics, new { g = "CHANNEL", from = november.to, to = november.from });

        // A: response 30, resolution 120 (breached: due at 60); D: 30 and 30 (met); B: response 60, open; C: October, new.
        Assert.Equal(["email 1 1 60.00 - - - 0", "phone 2 0 30.00 75.00 50.00 3.50 2"], byChannel);
        Assert.Equal(["2026-10 1 1 - - - - 0", "2026-11 3 1 40.00 75.00 50.00 3.50 2"], byMonth);
        Assert.Equal(["incident 3 1 40.00 75.00 50.00 3.50 2", "question 1 1 - - - - 0"], byCategory);
        Assert.Equal("INVALID_INPUT", backwards);
    }

    private static async Task<string[]> FiguresAsync(ServiceTenant tenant, object variables) =>
        [.. (await tenant.QueryAsync(Analytics, variables))["serviceAnalytics"]!.AsArray().Select(r => string.Join(' ',
            new[] { "key", "volume", "backlog", "averageFirstResponseMinutes", "averageResolutionMinutes", "slaCompliancePercent", "averageCsat", "csatAnswers" }
                .Select(f => Show(f, r![f]))))];

    /// <summary>A figure as text: averages and percentages with two decimals, a missing one as "-".</summary>
    private static string Show(string field, JsonNode? value) => value switch
    {
        null => "-",
        _ when field.StartsWith("average", StringComparison.Ordinal) || field.StartsWith("sla", StringComparison.Ordinal) => value.GetValue<decimal>().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
