using System.Text.Json.Nodes;
using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// The service figures of an account through sales' <c>account360</c>: open cases, open cases past an
/// SLA target, average satisfaction and its answers, kept by the module as cases move (after commit,
/// so read eventually), and its cases reached through the account's inverse list.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class Account360ServiceTests(ServiceHost host)
{
    private const string View = "query($id: ID!) { account360(id: $id) { account { name openServiceCases breachedServiceCases averageCsat csatAnswers serviceCases(filter: { slaState: { eq: \"breached\" } }) { nodes { subject } } } } }";

    /// <summary>Monday 2 November 2026, 10:00 in Shanghai.</summary>
    private static readonly DateTime Start = new(2026, 11, 2, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Account360_shows_the_open_and_breached_cases_and_the_average_satisfaction_of_the_account_and_follows_a_case_moved_to_another_account()
    {
        using var clock = host.Clock.At(Start);
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await host.TenantAsync();
        await tenant.UseSmtpAsync(smtp.Port);
        var allHours = await tenant.CreateAsync("ServiceCalendar", new { name = "7×24", workdayStart = "00:00", workdayEnd = "24:00", workingDays = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" } });
        await tenant.CreateAsync("SlaPolicy", new { name = "普通工单", priority = "normal", calendarId = allHours.Id(), firstResponseMinutes = 60, resolutionMinutes = 240 });
        var account = (await tenant.CreateAsync("Account", new { name = "无锡恒通机械有限公司" })).Id();
        var other = (await tenant.CreateAsync("Account", new { name = "常州远航物流有限公司" })).Id();
        var contact = (await tenant.CreateAsync("Contact", new { name = "孙丽", email = "sun.li@hengtong.cn", accountId = account })).Id();
        var pleased = (await tenant.CreateAsync("ServiceCase", new { subject = "数控机床报警", accountId = account, contactId = contact })).Id();
        var unhappy = (await tenant.CreateAsync("ServiceCase", new { subject = "备件发错型号", accountId = account, contactId = contact })).Id();
        var answered = (await tenant.CreateAsync("ServiceCase", new { subject = "保养计划咨询", accountId = account })).Id();
        await tenant.CreateAsync("ServiceCase", new { subject = "液压系统漏油", accountId = account });
        await tenant.CreateAsync("ServiceCase", new { subject = "仓库扫码枪故障", accountId = other });

        host.Clock.Set(Start.AddMinutes(10));
        foreach (var id in new[] { pleased, unhappy })
        {
            await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "resolved", r = "已处理。" });
        }

        await tenant.RunAsync(CaseLifecycleTests.Respond, new { id = answered, b = "保养计划已发到您的邮箱。" });
        var mails = await smtp.WaitForAsync(2);
        using var http = new HttpClient { BaseAddress = host.Host.BaseAddress };
        foreach (var (mail, score) in mails.OrderBy(m => m.Subject, StringComparer.Ordinal).Zip(["5", "2"]))
        {
            (await http.PostAsync(SatisfactionSurveyTests.LinkIn(mail), SatisfactionSurveyTests.Form(("score", score)))).EnsureSuccessStatusCode();
        }

        // 11:00: the first response target of the two unanswered open cases runs out.
        host.Clock.Set(Start.AddMinutes(60));
        await host.RunJobsAsync(Start.AddMinutes(60));
        var view = await ViewAsync(tenant, account, a => a["csatAnswers"]!.GetValue<int>() == 2 && a["breachedServiceCases"]!.GetValue<int>() == 1);
        var others = await ViewAsync(tenant, other, a => a["breachedServiceCases"]!.GetValue<int>() == 1);

        // Open: 保养计划咨询 (answered in time) and 液压系统漏油 (breached); satisfaction (5 + 2) / 2 = 3.5.
        Assert.Equal((2, 1, 3.5m, 2), (view["openServiceCases"]!.GetValue<int>(), view["breachedServiceCases"]!.GetValue<int>(), view["averageCsat"]!.GetValue<decimal>(), view["csatAnswers"]!.GetValue<int>()));
        Assert.Equal(["液压系统漏油"], view["serviceCases"]!["nodes"]!.AsArray().Select(c => c!["subject"].Str()));
        Assert.Equal((1, 1, true, 0), (others["openServiceCases"]!.GetValue<int>(), others["breachedServiceCases"]!.GetValue<int>(), others["averageCsat"] is null, others["csatAnswers"]!.GetValue<int>()));

        var breached = (await tenant.QueryAsync("{ serviceCases(filter: { subject: { eq: \"液压系统漏油\" } }) { nodes { id } } }"))["serviceCases"]!["nodes"]![0]!.Id();
        await tenant.Admin.MutateAsync("mutation($id: ID!, $a: ID!) { updateServiceCase(id: $id, input: { accountId: $a }) { serviceCase { id } userErrors { field code message } } }", new { id = breached, a = other });
        var left = await ViewAsync(tenant, account, a => a["openServiceCases"]!.GetValue<int>() == 1);
        var joined = await ViewAsync(tenant, other, a => a["openServiceCases"]!.GetValue<int>() == 2);
        Assert.Equal((1, 0), (left["openServiceCases"]!.GetValue<int>(), left["breachedServiceCases"]!.GetValue<int>()));
        Assert.Equal((2, 2), (joined["openServiceCases"]!.GetValue<int>(), joined["breachedServiceCases"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Writing_an_accounts_service_figures_directly_is_refused_and_changes_nothing()
    {
        var tenant = await host.TenantAsync();
        const string Update = "mutation($id: ID!, $i: UpdateAccountInput!) { updateAccount(id: $id, input: $i) { account { id } userErrors { field code message } } }";
        const string Create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } userErrors { field code message } } }";
        var account = (await tenant.CreateAsync("Account", new { name = "南通海达船舶配件厂" })).Id();
        await tenant.CreateAsync("ServiceCase", new { subject = "密封件渗漏", accountId = account });
        await ViewAsync(tenant, account, a => a["openServiceCases"]!.GetValue<int>() == 1);

        var open = await tenant.Admin.RefusedAsync(Update, new { id = account, i = new { openServiceCases = 0 } });
        var csat = await tenant.Admin.RefusedAsync(Update, new { id = account, i = new { averageCsat = 5 } });
        var made = await tenant.Admin.RefusedAsync(Create, new { i = new { name = "伪造满意度", csatAnswers = 3 } });

        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "openServiceCases"), (open.Code, open.Field));
        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "averageCsat"), (csat.Code, csat.Field));
        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "csatAnswers"), (made.Code, made.Field));
        var accounts = await tenant.QueryAsync("{ accounts { totalCount nodes { openServiceCases averageCsat } } }");
        Assert.Equal((1, 1, true), (accounts["accounts"]!["totalCount"]!.GetValue<int>(), accounts["accounts"]!["nodes"]![0]!["openServiceCases"]!.GetValue<int>(), accounts["accounts"]!["nodes"]![0]!["averageCsat"] is null));
    }

    private static async Task<JsonNode> ViewAsync(ServiceTenant tenant, string account, Func<JsonNode, bool> done) =>
        (await tenant.Admin.EventuallyAsync(View, d => done(d["account360"]!["account"]!), new { id = account }))["account360"]!["account"]!;
}
