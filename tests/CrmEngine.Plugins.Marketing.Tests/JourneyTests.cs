using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmEngine.Testing.Messaging;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Journeys driven on chosen clocks (the journey-tick job run at exact minutes): who enters, what each
/// step does, each member's position and history, branches on opens and clicks, versions, pause and resume.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class JourneyTests(MarketingHost fixture)
{
    private const string History = "status currentStep nextRunAt endedAt entryReason journeyVersion { number } stepRuns(first: 20) { nodes { step stepType outcome nextStep ranAt } }";

    /// <summary>A minute on the clock, a little ahead of now, exactly (the tick runs at whole minutes).</summary>
    internal static DateTime Minute(int ahead = 2)
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(ahead);
    }

    [Fact]
    public async Task A_journey_mails_waits_and_branches_on_opens_and_clicks_and_each_members_history_reads_step_by_step()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var tenant = await fixture.TenantAsync();
        await EmailTests.SetUpAsync(tenant, smtp.Port, fixture.Host.BaseAddress.ToString());
        var zhang = await tenant.IdAsync("Lead", new { name = "张伟", company = "星辰科技", email = "zhang@xingchen.cn" });
        var li = await tenant.IdAsync("Lead", new { name = "李娜", company = "星辰科技", email = "li@xingchen.cn" });
        var wang = await tenant.IdAsync("Lead", new { name = "王芳", company = "星辰科技", email = "wang@xingchen.cn" });
        await tenant.IdAsync("Lead", new { name = "赵磊", company = "别家公司", email = "zhao@other.cn" });
        var segment = await tenant.IdAsync("Segment", new { name = "星辰科技的线索", entity = "lead", filter = "{\"company\": {\"eq\": \"星辰科技\"}}" });
        var nurture = await tenant.IdAsync("Segment", new { name = "继续培育", entity = "lead", kind = "static" });
        var mail = await tenant.CampaignAsync("欢迎邮件", "email", new { emailSubject = "欢迎 / Welcome", emailBody = "<p>{{name}}，您好！<a href=\"https://example.cn/demo\">预约演示</a></p>" });
        var steps = Steps(
            new { key = "welcome", type = "sendEmail", campaign = mail, next = "wait" },
            new { key = "wait", type = "wait", days = 3, next = "opened" },
            new { key = "opened", type = "branch", @if = new { opened = "welcome" }, then = "clicked", @else = "cold" },
            new { key = "clicked", type = "branch", @if = new { clicked = "welcome" }, then = "hot", @else = "warm" },
            new { key = "hot", type = "handOver", status = "contacted", next = "followUp" },
            new { key = "followUp", type = "createActivity", subject = "旅程跟进", dueInDays = 1 },
            new { key = "warm", type = "updateFields", values = new { grade = "B" } },
            new { key = "cold", type = "addTags", tags = new[] { "nurtured" }, next = "list" },
            new { key = "list", type = "addToSegment", segment = nurture });
        var journey = await tenant.IdAsync("Journey", new { name = "新线索培育", of = "lead", entryKind = "segment", entrySegmentId = segment, steps });
        var published = (await tenant.Admin.MutateAsync(Publish, new { id = journey }))["result"]!;
        Assert.Equal(("live", 1, 1), (published["journey"]!["status"].Str(), published["journey"]!["publishedVersion"].Int(), published["version"]!["number"].Int()));

        // The first tick: the segment's three leads enter and get the welcome mail; then they wait three days.
        var t0 = Minute();
        await fixture.Host.RunDueJobsAsync(t0);
        var members = await MembersAsync(tenant, journey);
        Assert.Equal(3, members.Count);
        Assert.All(members.Values, m => Assert.Equal(("active", "wait", t0.AddDays(3)), (m["status"].Str(), m["currentStep"].Str(), m["nextRunAt"]!.GetValue<DateTime>())));
        var mails = await smtp.WaitForAsync(3);
        var zhangMail = mails.Single(m => m.To.Mailboxes.Single().Address == "zhang@xingchen.cn").HtmlBody!;
        var liMail = mails.Single(m => m.To.Mailboxes.Single().Address == "li@xingchen.cn").HtmlBody!;

        // 张伟 opens and clicks, 李娜 only opens, 王芳 does neither.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(EmailTests.Url(zhangMail, "open"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync(EmailTests.Url(zhangMail, "click"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(EmailTests.Url(liMail, "open"))).StatusCode);

        // A day later nothing is due; three days after entry each takes their branch to the end.
        await fixture.Host.RunDueJobsAsync(t0.AddDays(1));
        Assert.All((await MembersAsync(tenant, journey)).Values, m => Assert.Equal("wait", m["currentStep"].Str()));
        var t3 = t0.AddDays(3);
        await fixture.Host.RunDueJobsAsync(t3);
        members = await MembersAsync(tenant, journey);

        Assert.Equal(
            [("welcome", "sendEmail", "sent", "wait", t0), ("wait", "wait", $"waited until {t3:yyyy-MM-dd HH:mm}Z", "opened", t3), ("opened", "branch", "opened: yes", "clicked", t3),
             ("clicked", "branch", "clicked: yes", "hot", t3), ("hot", "handOver", "handed to sales as contacted", "followUp", t3), ("followUp", "createActivity", $"follow-up due {t3.AddDays(1):yyyy-MM-dd}", null, t3)],
            Runs(members[zhang]));
        Assert.Equal(["welcome", "wait", "opened", "clicked", "warm"], Runs(members[li]).Select(r => r.Step));
        Assert.Equal(("clicked: no", "updated grade"), (Runs(members[li])[3].Outcome, Runs(members[li])[4].Outcome));
        Assert.Equal(
            [("opened", "branch", "opened: no", "cold", t3), ("cold", "addTags", "tagged nurtured", "list", t3), ("list", "addToSegment", "added to the segment", null, t3)],
            Runs(members[wang])[2..]);
        Assert.All(members.Values, m => Assert.Equal(("completed", null, t3, "in segment 星辰科技的线索", 1), (m["status"].Str(), m["currentStep"]?.GetValue<string>(), m["endedAt"]!.GetValue<DateTime>(), m["entryReason"].Str(), m["journeyVersion"]!["number"].Int())));

        // The effects, read from sales' records: handed over with a follow-up, graded, tagged and listed.
        Assert.Equal("contacted", (await tenant.ReadAsync("lead", zhang, "status"))["status"].Str());
        Assert.Equal("B", (await tenant.ReadAsync("lead", li, "grade"))["grade"].Str());
        Assert.Equal("[\"nurtured\"]", (await tenant.ReadAsync("lead", wang, "marketingTags"))["marketingTags"]!.ToJsonString());
        var followUps = (await tenant.Admin.QueryAsync("{ activities(filter: {subject: {startsWith: \"旅程跟进\"}}) { nodes { subject status lead { name } } } }"))["activities"]!["nodes"]!.AsArray();
        Assert.Equal("旅程跟进: 张伟|planned|张伟", string.Join(",", followUps.Select(a => $"{a!["subject"].Str()}|{a["status"].Str()}|{a["lead"]!["name"].Str()}")));
        Assert.Equal(1, await tenant.CountAsync("segmentMembers", $"{{segment: {{id: {{eq: \"{nurture}\"}}}}}}"));

        // Later ticks find nothing to do: each step ran once per member.
        await fixture.Host.RunDueJobsAsync(t3.AddMinutes(1));
        Assert.Equal(6 + 5 + 5, await tenant.CountAsync("journeyStepRuns"));
        Assert.Equal(3, smtp.AcceptedCount);
    }

    [Fact]
    public async Task Members_on_version_1_finish_on_it_while_an_edit_is_a_draft_until_published_as_version_2()
    {
        var tenant = await fixture.TenantAsync();
        var journey = await tenant.IdAsync("Journey", new { name = "线索欢迎", of = "lead", entryKind = "leadCreated", steps = TagAfterADay("nurtured") });
        await tenant.Admin.MutateAsync(Publish, new { id = journey });
        var first = await tenant.IdAsync("Lead", new { name = "早到的线索", company = "甲公司" });
        await EnteredAsync(tenant, journey, 1);

        var edited = await tenant.UpdateAsync("Journey", journey, new { steps = TagAfterADay("engaged") }, "status publishedVersion hasDraft");
        Assert.Equal(("live", 1, true), (edited["status"].Str(), edited["publishedVersion"].Int(), edited["hasDraft"]!.GetValue<bool>()));
        var second = await tenant.IdAsync("Lead", new { name = "晚到的线索", company = "乙公司" });
        await EnteredAsync(tenant, journey, 2);
        var v2 = (await tenant.Admin.MutateAsync(Publish, new { id = journey }))["result"]!;
        Assert.Equal((2, false), (v2["journey"]!["publishedVersion"].Int(), v2["journey"]!["hasDraft"]!.GetValue<bool>()));
        var third = await tenant.IdAsync("Lead", new { name = "新版本的线索", company = "丙公司" });
        await EnteredAsync(tenant, journey, 3);

        await fixture.Host.RunDueJobsAsync(Minute().AddDays(1));

        var members = await MembersAsync(tenant, journey);
        Assert.Equal((1, 1, 2), (members[first]["journeyVersion"]!["number"].Int(), members[second]["journeyVersion"]!["number"].Int(), members[third]["journeyVersion"]!["number"].Int()));
        Assert.Equal("[\"nurtured\"]", (await tenant.ReadAsync("lead", first, "marketingTags"))["marketingTags"]!.ToJsonString());
        Assert.Equal("[\"nurtured\"]", (await tenant.ReadAsync("lead", second, "marketingTags"))["marketingTags"]!.ToJsonString());
        Assert.Equal("[\"engaged\"]", (await tenant.ReadAsync("lead", third, "marketingTags"))["marketingTags"]!.ToJsonString());
        Assert.Equal("MKT_INVALID_TRANSITION", (await tenant.Admin.RefusedAsync(Publish, new { id = journey })).Code);
        var versions = (await tenant.ReadAsync("journey", journey, "versions { nodes { number steps } }"))["versions"]!["nodes"]!.AsArray();
        Assert.Equal([1, 2], versions.Select(v => v!["number"].Int()));
        Assert.Contains("nurtured", versions[0]!["steps"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paused_journey_takes_no_one_in_and_runs_nothing_and_resumed_runs_what_fell_due()
    {
        var tenant = await fixture.TenantAsync();
        var journey = await tenant.IdAsync("Journey", new
        {
            name = "两天后定级",
            of = "lead",
            entryKind = "leadCreated",
            steps = Steps(new { key = "wait", type = "wait", days = 2, next = "grade" }, new { key = "grade", type = "updateFields", values = new { grade = "A" } }),
        });
        await tenant.Admin.MutateAsync(Publish, new { id = journey });
        var lead = await tenant.IdAsync("Lead", new { name = "待定级", company = "丁公司" });
        await EnteredAsync(tenant, journey, 1);

        Assert.Equal("paused", (await tenant.Admin.MutateAsync(Pause, new { id = journey }))["result"]!["status"].Str());
        Assert.Equal("MKT_INVALID_TRANSITION", (await tenant.Admin.RefusedAsync(Pause, new { id = journey })).Code);
        await tenant.IdAsync("Lead", new { name = "暂停期间的线索", company = "戊公司" });
        var late = Minute().AddDays(3);
        await fixture.Host.RunDueJobsAsync(late);
        Assert.Equal("wait", (await MembersAsync(tenant, journey))[lead]["currentStep"].Str());
        Assert.NotEqual("A", (await tenant.ReadAsync("lead", lead, "grade"))["grade"]?.GetValue<string>());

        Assert.Equal("live", (await tenant.Admin.MutateAsync(Resume, new { id = journey }))["result"]!["status"].Str());
        Assert.Equal("MKT_INVALID_TRANSITION", (await tenant.Admin.RefusedAsync(Resume, new { id = journey })).Code);
        await fixture.Host.RunDueJobsAsync(late.AddMinutes(1));
        var members = await MembersAsync(tenant, journey);
        Assert.Single(members);
        Assert.Equal(("completed", late.AddMinutes(1)), (members[lead]["status"].Str(), members[lead]["endedAt"]!.GetValue<DateTime>()));
        Assert.Equal("A", (await tenant.ReadAsync("lead", lead, "grade"))["grade"].Str());
    }

    [Fact]
    public async Task Members_reaching_the_goal_or_the_exit_condition_leave_and_a_field_change_or_a_form_response_brings_people_in()
    {
        var tenant = await fixture.TenantAsync();
        var steps = Steps(new { key = "wait", type = "wait", days = 5, next = "score" }, new { key = "score", type = "branch", @if = new { score = new { gte = 1 } }, then = "engaged", @else = "dormant" },
            new { key = "engaged", type = "addTags", tags = new[] { "engaged" } }, new { key = "dormant", type = "addTags", tags = new[] { "dormant" } });
        var journey = await tenant.IdAsync("Journey", new
        {
            name = "已联系线索的培育",
            of = "lead",
            entryKind = "fieldChanged",
            entryField = "status",
            entryValue = "contacted",
            steps,
            goal = "{\"status\": {\"eq\": \"qualified\"}}",
            exitWhen = "{\"status\": {\"eq\": \"unqualified\"}}",
        });
        await tenant.Admin.MutateAsync(Publish, new { id = journey });
        var leads = new List<string>();
        foreach (var name in new[] { "甲", "乙", "丙" })
        {
            var lead = await tenant.IdAsync("Lead", new { name, company = name + "公司" });
            await tenant.UpdateAsync("Lead", lead, new { status = "contacted" });
            leads.Add(lead);
        }

        await EnteredAsync(tenant, journey, 3);
        await tenant.UpdateAsync("Lead", leads[0], new { status = "qualified" });
        await tenant.UpdateAsync("Lead", leads[1], new { status = "unqualified" });
        var t1 = Minute().AddDays(1);
        await fixture.Host.RunDueJobsAsync(t1);
        var members = await MembersAsync(tenant, journey);
        Assert.Equal(("goalReached", "$goal", "reached the goal"), (members[leads[0]]["status"].Str(), Runs(members[leads[0]]).Single().Step, Runs(members[leads[0]]).Single().Outcome));
        Assert.Equal(("exited", "$exit"), (members[leads[1]]["status"].Str(), Runs(members[leads[1]]).Single().Step));
        Assert.Equal(("active", "wait"), (members[leads[2]]["status"].Str(), members[leads[2]]["currentStep"].Str()));

        // The third has no behavioural score: the score branch takes it to dormant.
        await fixture.Host.RunDueJobsAsync(t1.AddDays(5));
        members = await MembersAsync(tenant, journey);
        Assert.Equal(("score", "matched: no", "dormant"), (Runs(members[leads[2]])[1].Step, Runs(members[leads[2]])[1].Outcome, Runs(members[leads[2]])[1].Next));
        Assert.Equal("[\"dormant\"]", (await tenant.ReadAsync("lead", leads[2], "marketingTags"))["marketingTags"]!.ToJsonString());

        // A form response on the campaign a journey names brings its lead in.
        var fair = await tenant.CampaignAsync("展会表单", "event");
        var form = await tenant.IdAsync("Journey", new { name = "表单跟进", of = "lead", entryKind = "formSubmitted", entryCampaignId = fair, steps = TagAfterADay("webinarAttendee") });
        await tenant.Admin.MutateAsync(Publish, new { id = form });
        var visitor = await tenant.IdAsync("Lead", new { name = "展会访客", company = "己公司" });
        await tenant.RespondAsync(await tenant.MemberAsync(fair, "lead", visitor));
        var other = await tenant.IdAsync("Lead", new { name = "没有响应", company = "庚公司" });
        await tenant.MemberAsync(fair, "lead", other);
        var entered = await EnteredAsync(tenant, form, 1);
        Assert.Equal(visitor, entered.Keys.Single());
    }

    [Fact]
    public async Task Bad_journeys_and_writes_the_journey_engine_keeps_are_refused_with_typed_codes_and_nothing_is_written()
    {
        var tenant = await fixture.TenantAsync();
        var fair = await tenant.CampaignAsync("展会", "event");
        var dynamicSegment = await tenant.IdAsync("Segment", new { name = "动态", entity = "lead", filter = "{\"status\": {\"eq\": \"new\"}}" });
        var contacts = await tenant.IdAsync("Segment", new { name = "联系人名单", entity = "contact", kind = "static" });
        var refusals = new (object Input, string Code, string Field)[]
        {
            (Journey(steps: "[{\"key\": \"a\""), "INVALID_INPUT", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "fax" })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "wait", days = 1, next = "b" }, new { key = "b", type = "wait", days = 1, next = "a" })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "wait", days = 1, next = "nowhere" })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "wait", days = 1, hours = 2, until = "2030-01-01T00:00:00Z" })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "a" == "a" ? "wait" : "", next = "b" }, new { key = "b", type = "branch", @if = new { opened = "a" }, then = "a", @else = "a" })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "sendEmail", campaign = fair })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "addToSegment", segment = dynamicSegment })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "addToSegment", segment = contacts })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "addTags", tags = new[] { "vip" } })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "updateFields", values = new { behaviourScore = 99 } })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(steps: Steps(new { key = "a", type = "branch", @if = new { filter = new { nonsense = new { eq = 1 } } }, then = "b", @else = "b" }, new { key = "b", type = "wait", days = 1 })), "UNKNOWN_FIELD", "nonsense"),
            (Journey(of: "contact", steps: Steps(new { key = "a", type = "handOver", status = "contacted" })), "MKT_JOURNEY_INVALID", "steps"),
            (Journey(of: "contact", entryKind: "leadCreated"), "MKT_JOURNEY_INVALID", "entryKind"),
            (Journey(entryKind: "fieldChanged"), "MKT_JOURNEY_INVALID", "entryField"),
            (Journey(goal: "{\"nonsense\": {\"eq\": 1}}"), "UNKNOWN_FIELD", "nonsense"),
            (Journey(goal: "not json"), "INVALID_INPUT", "goal"),
            (new { name = "直接上线", of = "lead", status = "live" }, "MKT_COMPUTED_FIELD", "status"),
        };
        foreach (var (input, code, field) in refusals)
        {
            var refusal = await tenant.CreateRefusedAsync("Journey", input);
            Assert.True((code, field) == (refusal.Code, refusal.Field), $"{JsonSerializer.Serialize(input)}: expected {code} on {field}, got {refusal.Code} on {refusal.Field}: {refusal.Message}");
        }

        Assert.Equal(0, await tenant.CountAsync("journeys"));

        var journey = await tenant.IdAsync("Journey", new { name = "未完成", of = "lead" });
        Assert.Equal(("MKT_JOURNEY_INVALID", "entryKind"), Pick(await tenant.Admin.RefusedAsync(Publish, new { id = journey })));
        await tenant.UpdateAsync("Journey", journey, new { entryKind = "leadCreated" });
        Assert.Equal(("MKT_JOURNEY_INVALID", "steps"), Pick(await tenant.Admin.RefusedAsync(Publish, new { id = journey })));
        Assert.Equal("NOT_FOUND", (await tenant.Admin.RefusedAsync(Publish, new { id = Guid.CreateVersion7().ToString() })).Code);
        Assert.Equal("MKT_INVALID_TRANSITION", (await tenant.Admin.RefusedAsync(Pause, new { id = journey })).Code);
        Assert.Equal(("INVALID_INPUT", "of"), Pick(await tenant.UpdateRefusedAsync("Journey", journey, new { of = "contact" })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "publishedVersion"), Pick(await tenant.UpdateRefusedAsync("Journey", journey, new { publishedVersion = 3 })));
        Assert.Equal(0, await tenant.CountAsync("journeyVersions"));

        await tenant.UpdateAsync("Journey", journey, new { steps = TagAfterADay("nurtured") });
        var version = (await tenant.Admin.MutateAsync(Publish, new { id = journey }))["result"]!["version"]!["id"].Str();
        var lead = await tenant.IdAsync("Lead", new { name = "自动进入", company = "辛公司" });
        var member = (await EnteredAsync(tenant, journey, 1))[lead]["id"].Str();
        Assert.Equal("MKT_JOURNEY_MANAGED", (await tenant.UpdateRefusedAsync("JourneyVersion", version, new { steps = "[]" })).Code);
        Assert.Equal("MKT_JOURNEY_MANAGED", (await tenant.UpdateRefusedAsync("JourneyMember", member, new { currentStep = "a" })).Code);
        Assert.Equal("MKT_JOURNEY_MANAGED", (await tenant.DeleteRefusedAsync("JourneyMember", member)).Code);
        Assert.Equal("MKT_JOURNEY_MANAGED", (await tenant.CreateRefusedAsync("JourneyStepRun", new { memberId = member, step = "tag", ranAt = DateTime.UtcNow })).Code);
        Assert.Equal("MKT_JOURNEY_MANAGED", (await tenant.CreateRefusedAsync("JourneyMember", new { journeyId = journey, journeyVersionId = version, leadId = lead })).Code);
        Assert.Equal(0, await tenant.CountAsync("journeyStepRuns"));
        Assert.Equal("wait", (await MembersAsync(tenant, journey))[lead]["currentStep"].Str());
    }

    internal const string Publish = "mutation($id: ID!) { publishJourney(id: $id) { result { journey { status publishedVersion hasDraft } version { id number } } " + MarketingTenant.Errors + " } }";
    internal const string Pause = "mutation($id: ID!) { pauseJourney(id: $id) { result { status } " + MarketingTenant.Errors + " } }";
    internal const string Resume = "mutation($id: ID!) { resumeJourney(id: $id) { result { status } " + MarketingTenant.Errors + " } }";

    internal static string Steps(params object[] steps) => JsonSerializer.Serialize(steps);

    internal static string TagAfterADay(string tag) => Steps(new { key = "wait", type = "wait", days = 1, next = "tag" }, new { key = "tag", type = "addTags", tags = new[] { tag } });

    private static object Journey(string of = "lead", string? entryKind = null, string? steps = null, string? goal = null) =>
        new { name = "坏旅程", of, entryKind, steps, goal };

    /// <summary>The journey's members by their lead's id, with their position and history.</summary>
    internal static async Task<Dictionary<string, JsonNode>> MembersAsync(MarketingTenant tenant, string journey)
    {
        var nodes = (await tenant.Admin.QueryAsync($"query($j: ID!) {{ journeyMembers(filter: {{journey: {{id: {{eq: $j}}}}}}, first: 200) {{ nodes {{ id lead {{ id }} {History} }} }} }}", new { j = journey }))["journeyMembers"]!["nodes"]!.AsArray();
        return nodes.ToDictionary(n => n!["lead"]!["id"].Str(), n => n!);
    }

    /// <summary>Waits for the after hooks that enter people on events, until the journey has <paramref name="count"/> members.</summary>
    internal static async Task<Dictionary<string, JsonNode>> EnteredAsync(MarketingTenant tenant, string journey, int count)
    {
        await tenant.Admin.EventuallyAsync($"query($j: ID!) {{ journeyMembers(filter: {{journey: {{id: {{eq: $j}}}}}}) {{ totalCount }} }}", d => d["journeyMembers"]!["totalCount"].Int() >= count, new { j = journey });
        var members = await MembersAsync(tenant, journey);
        Assert.Equal(count, members.Count);
        return members;
    }

    internal static List<(string Step, string Type, string Outcome, string? Next, DateTime At)> Runs(JsonNode member) =>
        member["stepRuns"]!["nodes"]!.AsArray().Select(r => (r!["step"].Str(), r["stepType"].Str(), r["outcome"].Str(), r["nextStep"]?.GetValue<string>(), r["ranAt"]!.GetValue<DateTime>())).ToList();

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
