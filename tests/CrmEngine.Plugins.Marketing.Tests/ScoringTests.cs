namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Behavioural scores from campaign interactions, decaying with a half-life, combined with sales'
/// lead score into the MQL threshold that hands a lead to sales once. Defaults: opened 5, clicked 10,
/// responded 30 points, half-life 30 days, threshold 100.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class ScoringTests(MarketingHost fixture)
{
    private const string Score = "query($l: ID, $c: ID, $d: Date) { behaviourScore(leadId: $l, contactId: $c, asOf: $d) { score fitScore combinedScore mqlThreshold interactions { kind points ageDays decayedPoints campaign { name } } } }";

    [Fact]
    public async Task Interactions_score_a_lead_with_decay_and_crossing_the_threshold_hands_it_to_sales_once()
    {
        var tenant = await fixture.TenantAsync();
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);

        // Sales' fit score: e-mail 15 + phone 15 + company 10 + title 10 + industry 5 + event 20 = 75.
        var lead = await tenant.IdAsync("Lead", new { name = "孙浩", company = "苏州精工机械", title = "采购经理", email = "sun.hao@jinggong.cn", phone = "13912345678", industry = "manufacturing", source = "event" });
        Assert.Equal(75, (await tenant.ReadAsync("lead", lead, "score"))["score"].Int());

        var mailCampaign = await tenant.CampaignAsync("新品发布邮件");
        var mail = await tenant.MemberAsync(mailCampaign, "lead", lead);
        await tenant.UpdateAsync("CampaignMember", mail, new { memberStatus = "opened" });
        await tenant.UpdateAsync("CampaignMember", mail, new { memberStatus = "clicked" });
        Assert.Equal(15, (await tenant.ReadAsync("lead", lead, "behaviourScore"))["behaviourScore"].Int());

        // A response 60 days ago is worth 30 × 0.5² = 7.5: 5 + 10 + 7.5 = 22.5, rounded to 23; 75 + 23 = 98 stays under 100.
        var fair = await tenant.CampaignAsync("上海工博会", "event");
        await tenant.IdAsync("CampaignMember", new { campaignId = fair, leadId = lead, memberStatus = "responded", respondedAt = now.AddDays(-60) });
        var read = await tenant.ReadAsync("lead", lead, "behaviourScore mqlAt activities { totalCount }");
        Assert.Equal((23, true, 0), (read["behaviourScore"].Int(), read["mqlAt"] is null, read["activities"]!["totalCount"].Int()));

        // A webinar response today: 52.5 → 53; 75 + 53 = 128 crosses 100: the lead is an MQL with a task for its owner.
        var webinar = await tenant.CampaignAsync("数字工厂网络研讨会", "webinar");
        await tenant.RespondAsync(await tenant.MemberAsync(webinar, "lead", lead));
        read = await tenant.ReadAsync("lead", lead, "behaviourScore mqlAt status activities { nodes { type status subject } }");
        Assert.Equal(53, read["behaviourScore"].Int());
        Assert.NotNull(read["mqlAt"]);
        Assert.Equal("new", read["status"].Str());
        var task = Assert.Single(read["activities"]!["nodes"]!.AsArray());
        Assert.Equal(("task", "planned"), (task!["type"].Str(), task["status"].Str()));
        Assert.Contains("MQL", task["subject"].Str());

        // The funnel's MQL step counts the responded memberships of marketing-qualified leads.
        var funnel = await tenant.Admin.QueryAsync("query($ids: [ID!]) { campaignFunnel(campaignIds: $ids) { responded mql mqlRate } }", new { ids = new[] { mailCampaign, fair, webinar } });
        Assert.Equal([(0, 0, (decimal?)null), (1, 1, 1m), (1, 1, 1m)], funnel["campaignFunnel"]!.AsArray().Select(r => (r!["responded"].Int(), r["mql"].Int(), r["mqlRate"].DecOrNull())));

        // More engagement raises the score but never hands the lead over again.
        var mqlAt = read["mqlAt"].Str();
        await tenant.RespondAsync(await tenant.MemberAsync(await tenant.CampaignAsync("客户案例白皮书", "content"), "lead", lead));
        read = await tenant.ReadAsync("lead", lead, "behaviourScore mqlAt activities { totalCount }");
        Assert.Equal((83, mqlAt, 1), (read["behaviourScore"].Int(), read["mqlAt"].Str(), read["activities"]!["totalCount"].Int()));

        // 30 days on, everything has aged one half-life more: 2.5 + 5 + 3.75 + 15 + 15 = 41.25 → 41.
        var later = await tenant.Admin.QueryAsync(Score, new { l = lead, d = today.AddDays(30).ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        var breakdown = later["behaviourScore"]!;
        Assert.Equal((41, 75, 116, 100), (breakdown["score"].Int(), breakdown["fitScore"].Int(), breakdown["combinedScore"].Int(), breakdown["mqlThreshold"].Int()));
        Assert.Equal(
            [("responded", 90, 3.75m), ("opened", 30, 2.5m), ("clicked", 30, 5m), ("responded", 30, 15m), ("responded", 30, 15m)],
            breakdown["interactions"]!.AsArray().Select(i => (i!["kind"].Str(), i["ageDays"].Int(), i["decayedPoints"].Dec())));

        // The nightly job writes the decayed score on its run's day, and hands nobody over twice.
        await fixture.Host.RunDueJobsAsync(today.AddDays(30).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc));
        read = await tenant.ReadAsync("lead", lead, "behaviourScore mqlAt activities { totalCount }");
        Assert.Equal((41, mqlAt, 1), (read["behaviourScore"].Int(), read["mqlAt"].Str(), read["activities"]!["totalCount"].Int()));
    }

    [Fact]
    public async Task Contacts_are_scored_too_and_tenants_tune_the_points_and_half_life()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.Admin.MutateAsync("mutation { setPluginSettings(plugin: \"marketing\", values: [{ name: \"scoreClicked\", value: \"8\" }, { name: \"scoreHalfLifeDays\", value: \"10\" }]) { userErrors { code message } } }");
        var contact = await tenant.IdAsync("Contact", new { name = "周敏", email = "zhou@yunfan.cn" });
        var member = await tenant.MemberAsync(await tenant.CampaignAsync("微信推文", "wechat"), "contact", contact);
        await tenant.UpdateAsync("CampaignMember", member, new { memberStatus = "clicked" });
        Assert.Equal(8, (await tenant.ReadAsync("contact", contact, "behaviourScore"))["behaviourScore"].Int());

        // 15 days later: 8 × 0.5^1.5 = 2.8284 → 3.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var later = (await tenant.Admin.QueryAsync(Score, new { c = contact, d = today.AddDays(15).ToString("O", System.Globalization.CultureInfo.InvariantCulture) }))["behaviourScore"]!;
        Assert.Equal((3, true, 2.8284m), (later["score"].Int(), later["fitScore"] is null, later["interactions"]![0]!["decayedPoints"].Dec()));
    }

    [Fact]
    public async Task Bad_interaction_dates_and_client_written_scores_are_refused_and_change_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var lead = await tenant.IdAsync("Lead", new { name = "刘芳", email = "liu@tianfu.cn" });
        var contact = await tenant.IdAsync("Contact", new { name = "王磊" });
        var member = await tenant.MemberAsync(await tenant.CampaignAsync("抖音广告", "social"), "lead", lead);

        Assert.Equal(("INVALID_INPUT", "openedAt"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", member, new { memberStatus = "opened", openedAt = DateTime.UtcNow.AddDays(2) })));
        Assert.Equal(("INVALID_INPUT", "clickedAt"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", member, new { memberStatus = "opened", clickedAt = DateTime.UtcNow.AddDays(-2) })));
        await tenant.UpdateAsync("CampaignMember", member, new { memberStatus = "opened", openedAt = DateTime.UtcNow.AddDays(-2) });
        Assert.Equal(("INVALID_INPUT", "openedAt"), Pick(await tenant.UpdateRefusedAsync("CampaignMember", member, new { openedAt = DateTime.UtcNow.AddDays(-3) })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "behaviourScore"), Pick(await tenant.UpdateRefusedAsync("Lead", lead, new { behaviourScore = 500 })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "mqlAt"), Pick(await tenant.UpdateRefusedAsync("Lead", lead, new { mqlAt = DateTime.UtcNow })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "behaviourScore"), Pick(await tenant.UpdateRefusedAsync("Contact", contact, new { behaviourScore = 5 })));
        var read = await tenant.ReadAsync("lead", lead, "behaviourScore mqlAt");
        Assert.Equal((5, true), (read["behaviourScore"].Int(), read["mqlAt"] is null));

        Assert.Contains("INVALID_INPUT", (await tenant.Admin.PostAsync(Score, new { l = lead, c = contact })).ErrorCodes);
        Assert.Contains("INVALID_INPUT", (await tenant.Admin.PostAsync(Score, new { })).ErrorCodes);
        Assert.Contains("NOT_FOUND", (await tenant.Admin.PostAsync(Score, new { l = Guid.CreateVersion7().ToString() })).ErrorCodes);
    }

    private static (string, string?) Pick(UserError error) => (error.Code, error.Field);
}
