using System.Net;
using System.Text.RegularExpressions;
using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>Customer care: the CSAT survey mailed on resolution with a signed, single-use link, answered over real HTTP.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed partial class SatisfactionSurveyTests(ServiceHost host)
{
    [Fact]
    public async Task Resolving_a_case_mails_its_contact_a_signed_survey_whose_answer_is_stored_once_and_tampered_or_replayed_links_are_refused()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await host.TenantAsync();
        await tenant.UseSmtpAsync(smtp.Port);
        var account = await tenant.CreateAsync("Account", new { name = "苏州明远电子有限公司" });
        var contact = await tenant.CreateAsync("Contact", new { name = "周敏", email = "zhou.min@mingyuan.cn", accountId = account.Id() });
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "扫描仪无法识别", contactId = contact.Id(), accountId = account.Id() })).Id();
        var silent = (await tenant.CreateAsync("ServiceCase", new { subject = "无联系人的工单" })).Id();
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "open" });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "resolved", r = "已更新驱动。" });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = silent, s = "resolved", r = "已处理。" });

        var mail = Assert.Single(await smtp.WaitForAsync(1));
        var link = LinkIn(mail);
        var token = link.Split("token=")[1];
        using var http = new HttpClient { BaseAddress = host.Host.BaseAddress };
        var page = await http.GetStringAsync(link);
        var outOfRange = await http.PostAsync(link, Form(("score", "6")));
        var notANumber = await http.PostAsync(link, Form(("score", "很好")));
        var tampered = await http.PostAsync("/p/service/csat?token=" + (token[..^2] + (token.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA")), Form(("score", "1")));
        var answered = await http.PostAsync(link, Form(("score", "4"), ("comment", "响应很快，但等了两天。")));
        var replayed = await http.PostAsync(link, Form(("score", "1")));

        Assert.Equal(["zhou.min@mingyuan.cn"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("CS-00001", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("CS-00001 扫描仪无法识别", page, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (outOfRange.StatusCode, notANumber.StatusCode));
        Assert.Contains("INVALID_INPUT", await outOfRange.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, replayed.StatusCode);
        Assert.Contains("LINK_USED", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await tenant.QueryAsync("{ accounts { nodes { serviceCases(orderBy: [{ number: ASC }]) { nodes { number csatScore csatComment csatSentAt csatAnsweredAt } } } } }");
        var cases = stored["accounts"]!["nodes"]![0]!["serviceCases"]!["nodes"]!.AsArray();
        var rated = Assert.Single(cases)!;
        Assert.Equal((4, "响应很快，但等了两天。"), (rated["csatScore"]!.GetValue<int>(), rated["csatComment"].Str()));
        Assert.NotNull(rated["csatSentAt"]);
        Assert.NotNull(rated["csatAnsweredAt"]);
        var unasked = await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { csatSentAt csatScore } }", new { id = silent });
        Assert.Null(unasked["serviceCase"]!["csatSentAt"]);
    }

    [Fact]
    public async Task The_resolution_mail_also_asks_0_to_10_how_likely_the_contact_is_to_recommend_us_on_a_link_of_its_own()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await host.TenantAsync();
        await tenant.UseSmtpAsync(smtp.Port);
        var account = await tenant.CreateAsync("Account", new { name = "杭州云帆物流有限公司" });
        var contact = await tenant.CreateAsync("Contact", new { name = "陈静", email = "chen.jing@yunfan.cn", accountId = account.Id() });
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "运单打印异常", contactId = contact.Id(), accountId = account.Id() })).Id();
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "resolved", r = "已更换打印模板。" });

        var mail = Assert.Single(await smtp.WaitForAsync(1));
        var nps = WebUtility.HtmlDecode(NpsLink().Match(mail.HtmlBody ?? string.Empty).Value);
        var csatToken = LinkIn(mail).Split("token=")[1];
        using var http = new HttpClient { BaseAddress = host.Host.BaseAddress };
        var page = await http.GetStringAsync(nps);
        var tooHigh = await http.PostAsync(nps, Form(("score", "11")));
        var csatLinkHere = await http.PostAsync("/p/service/nps?token=" + csatToken, Form(("score", "10")));
        var answered = await http.PostAsync(nps, Form(("score", "0"), ("comment", "不会推荐。")));
        var replayed = await http.PostAsync(nps, Form(("score", "10")));
        var direct = await tenant.Admin.RefusedAsync("mutation($id: ID!) { updateServiceCase(id: $id, input: { npsScore: 10 }) { serviceCase { id } userErrors { field code message } } }", new { id });

        Assert.Contains("运单打印异常", page, StringComparison.Ordinal);
        Assert.Contains("value=\"0\">0</button>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"10\">10</button>", page, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Gone), (tooHigh.StatusCode, csatLinkHere.StatusCode, answered.StatusCode, replayed.StatusCode));
        Assert.Contains("The score is a whole number from 0 to 10.", await tooHigh.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "npsScore"), (direct.Code, direct.Field));
        var stored = (await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { npsScore npsComment npsAnsweredAt csatScore } }", new { id }))["serviceCase"]!;
        Assert.Equal((0, "不会推荐。", null), (stored["npsScore"]!.GetValue<int>(), stored["npsComment"].Str(), stored["csatScore"]));
        Assert.NotNull(stored["npsAnsweredAt"]);
    }

    [Fact]
    public async Task Writing_a_cases_satisfaction_directly_is_refused_and_changes_nothing()
    {
        var tenant = await host.TenantAsync();
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "自己给自己打分" })).Id();

        var refused = await tenant.Admin.RefusedAsync("mutation($id: ID!) { updateServiceCase(id: $id, input: { csatScore: 5 }) { serviceCase { id } userErrors { field code message } } }", new { id });

        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "csatScore"), (refused.Code, refused.Field));
        Assert.Null((await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { csatScore } }", new { id }))["serviceCase"]!["csatScore"]);
    }

    /// <summary>The survey link in a survey mail.</summary>
    public static string LinkIn(MimeKit.MimeMessage mail) => WebUtility.HtmlDecode(SurveyLink().Match(mail.HtmlBody ?? string.Empty).Value);

    internal static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    [GeneratedRegex("/p/service/csat\\?token=[^\"<\\s]+")]
    private static partial Regex SurveyLink();

    [GeneratedRegex("/p/service/nps\\?token=[^\"<\\s]+")]
    private static partial Regex NpsLink();
}
