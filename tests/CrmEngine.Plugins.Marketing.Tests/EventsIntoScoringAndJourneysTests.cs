using System.Globalization;
using System.Net;
using static CrmEngine.Plugins.Marketing.Tests.JourneyTests;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// What a website reports through the events endpoint (real HTTP, a signed visitor token) feeds the
/// behavioural score, with its own points per event type and the same decay, and so the MQL hand-over;
/// a custom event brings the person into the journeys entered on that event, once, and a journey's
/// score branch reads the event-fed score. Defaults: page visit 2, custom event 5, half-life 30 days.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class EventsIntoScoringAndJourneysTests(MarketingHost fixture)
{
    private const string Link = "query($l: ID, $c: ID) { visitorEventsUrl(leadId: $l, contactId: $c) }";
    private const string Score = "query($l: ID, $c: ID, $d: Date) { behaviourScore(leadId: $l, contactId: $c, asOf: $d) { score fitScore combinedScore interactions { kind eventName points ageDays decayedPoints campaign { name } } } }";

    [Fact]
    public async Task Page_visits_and_custom_events_score_with_their_own_points_and_decay_and_crossing_the_threshold_hands_the_lead_over_once()
    {
        var tenant = await SetUpAsync(("scorePageVisit", "3"), ("scoreCustomEvent", "10"));
        // Sales' fit score: e-mail 15 + phone 15 + company 10 + title 10 + industry 5 + event 20 = 75; the threshold is 100.
        var lead = await tenant.IdAsync("Lead", new { name = "孙浩", company = "苏州精工机械", title = "采购经理", email = "sun.hao@jinggong.cn", phone = "13912345678", industry = "manufacturing", source = "event" });
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var url = await UrlAsync(tenant, l: lead);

        // Two page visits (3 each) and a custom event (10): 16; 75 + 16 = 91 stays under 100.
        await PostAsync(http, url, ("type", "pageVisit"), ("url", "https://jinggong.example.cn/products"));
        await PostAsync(http, url, ("type", "pageVisit"), ("url", "https://jinggong.example.cn/pricing"));
        await PostAsync(http, url, ("type", "customEvent"), ("name", "pricing.view"));
        var read = await tenant.ReadAsync("lead", lead, "behaviourScore mqlAt activities { totalCount }");
        Assert.Equal((16, true, 0), (read["behaviourScore"].Int(), read["mqlAt"] is null, read["activities"]!["totalCount"].Int()));

        // A demo request (10) makes 26; 75 + 26 = 101 crosses 100: the lead is an MQL with a task for its owner.
        await PostAsync(http, url, ("type", "customEvent"), ("name", "demo.request"), ("detail", "预约演示"));
        read = await tenant.ReadAsync("lead", lead, "behaviourScore mqlAt status activities { nodes { type status subject } }");
        Assert.Equal((26, false, "new"), (read["behaviourScore"].Int(), read["mqlAt"] is null, read["status"].Str()));
        var task = Assert.Single(read["activities"]!["nodes"]!.AsArray());
        Assert.Equal(("task", "planned"), (task!["type"].Str(), task["status"].Str()));
        Assert.Contains("75 + 26", task["subject"].Str(), StringComparison.Ordinal);

        // A further visit raises the score (29) but never hands the lead over again.
        await PostAsync(http, url, ("type", "pageVisit"), ("url", "https://jinggong.example.cn/cases"));
        read = await tenant.ReadAsync("lead", lead, "behaviourScore activities { totalCount }");
        Assert.Equal((29, 1), (read["behaviourScore"].Int(), read["activities"]!["totalCount"].Int()));

        // 30 days on, each has aged one half-life: 1.5 + 1.5 + 5 + 5 + 1.5 = 14.5 → 15; 75 + 15 = 90.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var later = (await tenant.Admin.QueryAsync(Score, new { l = lead, d = today.AddDays(30).ToString("O", CultureInfo.InvariantCulture) }))["behaviourScore"]!;
        Assert.Equal((15, 75, 90), (later["score"].Int(), later["fitScore"].Int(), later["combinedScore"].Int()));
        Assert.Equal(
            [("pageVisit", null, 3, 1.5m), ("pageVisit", null, 3, 1.5m), ("customEvent", "pricing.view", 10, 5m), ("customEvent", "demo.request", 10, 5m), ("pageVisit", null, 3, 1.5m)],
            later["interactions"]!.AsArray().Select(i => (i!["kind"].Str(), i["eventName"]?.GetValue<string>(), i["points"].Int(), i["decayedPoints"].Dec())));
        Assert.All(later["interactions"]!.AsArray(), i => Assert.True(i!["campaign"] is null && i["ageDays"].Int() == 30));

        // The nightly job writes the decayed score on its run's day; the lead stays handed over once.
        await fixture.Host.RunDueJobsAsync(today.AddDays(30).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc));
        read = await tenant.ReadAsync("lead", lead, "behaviourScore activities { totalCount }");
        Assert.Equal((15, 1), (read["behaviourScore"].Int(), read["activities"]!["totalCount"].Int()));
    }

    [Fact]
    public async Task A_contact_s_events_score_them_and_a_refused_event_scores_nothing()
    {
        var tenant = await SetUpAsync();
        var contact = await tenant.IdAsync("Contact", new { name = "李娜", email = "li.na@hengtong.cn" });
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var url = await UrlAsync(tenant, c: contact);

        // The defaults: a custom event 5, a page visit 2.
        await PostAsync(http, url, ("type", "customEvent"), ("name", "whitepaper.download"));
        await PostAsync(http, url, ("type", "pageVisit"), ("url", "https://example.cn/"));
        Assert.Equal(7, (await tenant.ReadAsync("contact", contact, "behaviourScore"))["behaviourScore"].Int());

        var refused = await http.PostAsync(url, Form(("type", "customEvent"), ("name", "下载 白皮书")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var read = await tenant.ReadAsync("contact", contact, "behaviourScore marketingInteractions { totalCount }");
        Assert.Equal((7, 2), (read["behaviourScore"].Int(), read["marketingInteractions"]!["totalCount"].Int()));
    }

    [Fact]
    public async Task A_custom_event_brings_the_person_into_the_journeys_entered_on_it_once_and_the_score_branch_reads_the_event_fed_score()
    {
        var tenant = await SetUpAsync();
        var steps = Steps(new { key = "wait", type = "wait", days = 1, next = "score" }, new { key = "score", type = "branch", @if = new { score = new { gte = 10 } }, then = "engaged", @else = "dormant" },
            new { key = "engaged", type = "addTags", tags = new[] { "engaged" } }, new { key = "dormant", type = "addTags", tags = new[] { "dormant" } });
        var webinar = await tenant.IdAsync("Journey", new { name = "研讨会报名跟进", of = "lead", entryKind = "customEvent", entryEvent = "webinar.registered", steps });
        await tenant.Admin.MutateAsync(Publish, new { id = webinar });
        var pricing = await tenant.IdAsync("Journey", new { name = "看过价格", of = "lead", entryKind = "customEvent", entryEvent = "pricing.view", steps = TagAfterADay("nurtured") });
        await tenant.Admin.MutateAsync(Publish, new { id = pricing });
        // An unpublished edit of the entry takes no one in: the published version's event does.
        await tenant.UpdateAsync("Journey", pricing, new { entryEvent = "pricing.compare" });
        var draft = await tenant.IdAsync("Journey", new { name = "草稿", of = "lead", entryKind = "customEvent", entryEvent = "webinar.registered", steps = TagAfterADay("newsletter") });

        var eager = await tenant.IdAsync("Lead", new { name = "积极的线索", company = "甲公司" });
        var quiet = await tenant.IdAsync("Lead", new { name = "安静的线索", company = "乙公司" });
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var (eagerUrl, quietUrl) = (await UrlAsync(tenant, l: eager), await UrlAsync(tenant, l: quiet));

        // The eager lead registers (5), visits three pages (2 each), registers again (5) and compares prices (5): 21.
        // The quiet one registers (5) and views the prices (5): 10.
        await PostAsync(http, eagerUrl, ("type", "customEvent"), ("name", "webinar.registered"));
        foreach (var page in new[] { "agenda", "speakers", "pricing" })
        {
            await PostAsync(http, eagerUrl, ("type", "pageVisit"), ("url", "https://example.cn/" + page));
        }

        await PostAsync(http, eagerUrl, ("type", "customEvent"), ("name", "webinar.registered"));
        await PostAsync(http, eagerUrl, ("type", "customEvent"), ("name", "pricing.compare"));
        await PostAsync(http, quietUrl, ("type", "customEvent"), ("name", "webinar.registered"));
        await PostAsync(http, quietUrl, ("type", "customEvent"), ("name", "pricing.view"));

        // Each person entered the webinar journey once, whatever the repeated event; only the quiet lead posted pricing.view.
        var members = await EnteredAsync(tenant, webinar, 2);
        Assert.All(members.Values, m => Assert.Equal(("event webinar.registered", 1, "wait"), (m["entryReason"].Str(), m["journeyVersion"]!["number"].Int(), m["currentStep"].Str())));
        Assert.Equal(quiet, (await EnteredAsync(tenant, pricing, 1)).Keys.Single());
        Assert.Equal((21, 10), ((await tenant.ReadAsync("lead", eager, "behaviourScore"))["behaviourScore"].Int(), (await tenant.ReadAsync("lead", quiet, "behaviourScore"))["behaviourScore"].Int()));

        // A third lead only registers: 5.
        var lone = await tenant.IdAsync("Lead", new { name = "只报名的线索", company = "丙公司" });
        await PostAsync(http, await UrlAsync(tenant, l: lone), ("type", "customEvent"), ("name", "webinar.registered"));
        await EnteredAsync(tenant, webinar, 3);

        // A day on the branch asks for a score of 10: decayed by a day (21 × 0.5^(1/30) = 20.52 → 21, 10 → 9.77 → 10,
        // 5 → 4.89 → 5; the nightly job may or may not have run), the eager and the quiet lead pass, the lone one doesn't.
        await fixture.Host.RunDueJobsAsync(Minute().AddDays(1));
        members = await MembersAsync(tenant, webinar);
        Assert.Equal(("matched: yes", "engaged"), (Runs(members[eager])[1].Outcome, Runs(members[eager])[1].Next));
        Assert.Equal(("matched: yes", "engaged"), (Runs(members[quiet])[1].Outcome, Runs(members[quiet])[1].Next));
        Assert.Equal(("matched: no", "dormant"), (Runs(members[lone])[1].Outcome, Runs(members[lone])[1].Next));
        Assert.Equal("[\"dormant\"]", (await tenant.ReadAsync("lead", lone, "marketingTags"))["marketingTags"]!.ToJsonString());
        Assert.Equal("[\"engaged\"]", (await tenant.ReadAsync("lead", eager, "marketingTags"))["marketingTags"]!.ToJsonString());
        Assert.Equal(0, (await tenant.Admin.QueryAsync("query($j: ID!) { journeyMembers(filter: {journey: {id: {eq: $j}}}) { totalCount } }", new { j = draft }))["journeyMembers"]!["totalCount"].Int());
    }

    [Fact]
    public async Task A_journey_entered_on_a_custom_event_names_a_sound_event_or_is_refused_and_nothing_is_written()
    {
        var tenant = await SetUpAsync();
        foreach (var name in new string?[] { null, "下载 白皮书", "webinar/registered" })
        {
            var refusal = await tenant.CreateRefusedAsync("Journey", new { name = "坏旅程", of = "contact", entryKind = "customEvent", entryEvent = name, steps = TagAfterADay("nurtured") });
            Assert.Equal(("MKT_JOURNEY_INVALID", "entryEvent"), (refusal.Code, refusal.Field));
        }

        Assert.Equal(0, await tenant.CountAsync("journeys"));
        var journey = await tenant.IdAsync("Journey", new { name = "联系人活动", of = "contact", entryKind = "customEvent", entryEvent = "trial.started", steps = TagAfterADay("nurtured") });
        var published = (await tenant.Admin.MutateAsync(Publish, new { id = journey }))["result"]!;
        Assert.Equal(1, published["version"]!["number"].Int());
        var refused = await tenant.UpdateRefusedAsync("Journey", journey, new { entryEvent = "trial started" });
        Assert.Equal(("MKT_JOURNEY_INVALID", "entryEvent"), (refused.Code, refused.Field));
        Assert.Equal("trial.started", (await tenant.ReadAsync("journey", journey, "entryEvent"))["entryEvent"].Str());
    }

    private async Task<MarketingTenant> SetUpAsync(params (string Name, string Value)[] settings)
    {
        var tenant = await fixture.TenantAsync();
        var values = settings.Append(("trackingBaseUrl", fixture.Host.BaseAddress.ToString())).Select(s => new { name = s.Item1, value = s.Item2 }).ToArray();
        await tenant.Admin.MutateAsync("mutation($v: [PluginSettingValue!]!) { setPluginSettings(plugin: \"marketing\", values: $v) { userErrors { code message } } }", new { v = values });
        return tenant;
    }

    private static async Task<string> UrlAsync(MarketingTenant tenant, string? l = null, string? c = null) =>
        (await tenant.Admin.QueryAsync(Link, new { l, c }))["visitorEventsUrl"].Str();

    private static async Task PostAsync(HttpClient http, string url, params (string Name, string Value)[] fields)
    {
        var answer = await http.PostAsync(url, Form(fields));
        Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
