namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Escalation rules run by the <c>escalation-sweep</c> job on a stopped clock: a case that waits
/// unassigned or unanswered for the rule's minutes goes to the team lead one priority higher, with the
/// reason logged on the case, once per rule however often the job runs.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class EscalationTests(ServiceHost host)
{
    private const string Fields = "number priority escalated escalationReason ownerId assignedAt escalations { nodes { reason priorityBefore priorityAfter rule { name } } }";

    /// <summary>Monday 2 November 2026, 09:00 in Shanghai.</summary>
    private static readonly DateTime Start = new(2026, 11, 2, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_case_left_unassigned_for_30_minutes_goes_to_the_team_lead_one_priority_higher_and_is_escalated_once()
    {
        using var clock = host.Clock.At(Start);
        var (tenant, lead, leadAgent) = await DeskAsync();
        await tenant.CreateAsync("ServiceEscalationRule", new { name = "未分配超时", trigger = "unassigned", minutes = 30, escalateToId = leadAgent });
        var first = (await tenant.CreateAsync("ServiceCase", new { subject = "无法登录后台" })).Id();
        host.Clock.Set(Start.AddMinutes(20));
        var second = (await tenant.CreateAsync("ServiceCase", new { subject = "发票抬头错误", priority = "high" })).Id();

        var at29 = await SweepAsync(tenant, Start.AddMinutes(29));
        var at30 = await SweepAsync(tenant, Start.AddMinutes(30));
        var at50 = await SweepAsync(tenant, Start.AddMinutes(50));
        var at90 = await SweepAsync(tenant, Start.AddMinutes(90));

        Assert.Equal("CS-00001:normal:0,CS-00002:high:0", at29);
        Assert.Equal("CS-00001:high:1,CS-00002:high:0", at30);
        Assert.Equal("CS-00001:high:1,CS-00002:urgent:1", at50);
        Assert.Equal(at50, at90);
        var escalated = (await tenant.QueryAsync($"query($id: ID!) {{ serviceCase(id: $id) {{ {Fields} }} }}", new { id = first }))["serviceCase"]!;
        Assert.Equal((true, lead, Cst(2026, 11, 2, 9, 30)), (escalated["escalated"]!.GetValue<bool>(), escalated["ownerId"].Str(), escalated["assignedAt"].Str()));
        Assert.Equal("未分配超时: unassigned for 30 minutes / 超过 30 分钟未分配", escalated["escalationReason"].Str());
        var log = Assert.Single(escalated["escalations"]!["nodes"]!.AsArray())!;
        Assert.Equal(("normal", "high", "未分配超时", escalated["escalationReason"].Str()), (log["priorityBefore"].Str(), log["priorityAfter"].Str(), log["rule"]!["name"].Str(), log["reason"].Str()));
        Assert.NotNull(second);
    }

    [Fact]
    public async Task A_case_unanswered_for_an_hour_is_escalated_while_an_answered_one_and_one_of_another_priority_are_not()
    {
        using var clock = host.Clock.At(Start);
        var (tenant, _, leadAgent) = await DeskAsync();
        await tenant.CreateAsync("ServiceEscalationRule", new { name = "一小时未答复", trigger = "unanswered", minutes = 60, priorities = new[] { "normal", "high" }, escalateToId = leadAgent, raisePriority = false });
        var answered = (await tenant.CreateAsync("ServiceCase", new { subject = "已答复的工单" })).Id();
        await tenant.CreateAsync("ServiceCase", new { subject = "无人答复的工单" });
        await tenant.CreateAsync("ServiceCase", new { subject = "低优先级咨询", priority = "low" });
        host.Clock.Set(Start.AddMinutes(10));
        await tenant.RunAsync(CaseLifecycleTests.Respond, new { id = answered, b = "我们正在处理。" });

        var states = await SweepAsync(tenant, Start.AddMinutes(60));
        var reasons = await tenant.QueryAsync("{ serviceCaseEscalations { nodes { case { subject } reason } } }");

        Assert.Equal("CS-00001:normal:0,CS-00002:normal:1,CS-00003:low:0", states);
        var entry = Assert.Single(reasons["serviceCaseEscalations"]!["nodes"]!.AsArray())!;
        Assert.Equal(("无人答复的工单", "一小时未答复: unanswered for 60 minutes / 超过 60 分钟未答复"), (entry["case"]!["subject"].Str(), entry["reason"].Str()));
    }

    [Fact]
    public async Task Escalating_by_hand_is_logged_too_and_the_log_and_bad_rules_are_refused_without_writing()
    {
        var (tenant, lead, leadAgent) = await DeskAsync();
        const string NewRule = "mutation($i: CreateServiceEscalationRuleInput!) { createServiceEscalationRule(input: $i) { serviceEscalationRule { id } userErrors { field code message } } }";
        const string NewEntry = "mutation($i: CreateServiceCaseEscalationInput!) { createServiceCaseEscalation(input: $i) { serviceCaseEscalation { id } userErrors { field code message } } }";
        var id = (await tenant.CreateAsync("ServiceCase", new { subject = "客户要求经理回电" })).Id();
        await tenant.RunAsync(CaseLifecycleTests.Escalate, new { id, r = "客户情绪激动", to = lead });

        var zero = await tenant.Admin.RefusedAsync(NewRule, new { i = new { name = "零分钟", trigger = "unassigned", minutes = 0, escalateToId = leadAgent } });
        var noTrigger = await tenant.Admin.RefusedAsync(NewRule, new { i = new { name = "无条件", minutes = 30 } });
        var badTrigger = await tenant.Admin.RefusedAsync(NewRule, new { i = new { name = "乱写", trigger = "angry", minutes = 30 } });
        var noLead = await tenant.Admin.RefusedAsync(NewRule, new { i = new { name = "无组长", trigger = "unanswered", minutes = 30, escalateToId = Guid.NewGuid().ToString() } });
        var forged = await tenant.Admin.RefusedAsync(NewEntry, new { i = new { caseId = id, reason = "伪造的升级", at = "2026-11-02T01:00:00Z" } });

        Assert.Equal(("OUT_OF_RANGE", "minutes"), (zero.Code, zero.Field));
        Assert.Equal(("REQUIRED", "trigger"), (noTrigger.Code, noTrigger.Field));
        Assert.Equal(("INVALID_OPTION", "trigger"), (badTrigger.Code, badTrigger.Field));
        Assert.Equal(("LOOKUP_NOT_FOUND", "escalateTo"), (noLead.Code, noLead.Field));
        Assert.Equal("SERVICE_STATUS_BY_OPERATION", forged.Code);
        var counts = await tenant.QueryAsync("{ serviceEscalationRules { totalCount } serviceCaseEscalations { nodes { reason priorityBefore priorityAfter rule { name } } } }");
        Assert.Equal(0, counts["serviceEscalationRules"]!["totalCount"]!.GetValue<int>());
        var entry = Assert.Single(counts["serviceCaseEscalations"]!["nodes"]!.AsArray())!;
        Assert.Equal(("客户情绪激动", "normal", "high", true), (entry["reason"].Str(), entry["priorityBefore"].Str(), entry["priorityAfter"].Str(), entry["rule"] is null));
    }

    /// <summary>An instant written in Shanghai time, as the API writes it (UTC).</summary>
    internal static string Cst(int year, int month, int day, int hour, int minute = 0) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A tenant with a team lead (a user and their agent record).</summary>
    private async Task<(ServiceTenant Tenant, string Lead, string LeadAgent)> DeskAsync()
    {
        var tenant = await host.TenantAsync();
        var lead = (await tenant.Admin.MutateAsync("mutation { createUser(email: \"zhang.lead@desk.example\", displayName: \"张组长\", roles: [\"user\"]) { user { id } userErrors { code message } } }"))["user"]!.Id();
        var agent = (await tenant.CreateAsync("ServiceAgent", new { name = "张组长", ownerId = lead })).Id();
        return (tenant, lead, agent);
    }

    /// <summary>Runs the jobs at <paramref name="at"/> and lists the cases as number:priority:escalations.</summary>
    private async Task<string> SweepAsync(ServiceTenant tenant, DateTime at)
    {
        host.Clock.Set(at);
        await host.RunJobsAsync(at);
        var cases = await tenant.QueryAsync("{ serviceCases(orderBy: [{ number: ASC }]) { nodes { number priority escalations { totalCount } } } }");
        return string.Join(",", cases["serviceCases"]!["nodes"]!.AsArray().Select(c => $"{c!["number"].Str()}:{c["priority"].Str()}:{c["escalations"]!["totalCount"]!.GetValue<int>()}"));
    }
}
