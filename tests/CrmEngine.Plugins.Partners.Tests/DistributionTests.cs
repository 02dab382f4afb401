namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// Lead distribution to partners: rules by region, tier, specialization and capacity; the partner
/// answers through the portal within the response time or the lead goes to the next; an accepted lead
/// converted becomes a partner-sourced opportunity in sales' funnel and forecast.
/// </summary>
[Collection(PartnersHostGroup.Name)]
public sealed class DistributionTests(PartnersHost fixture)
{
    public const string Distribute = "mutation($id: ID!) { distributeLead(leadId: $id) { result { id status partner { name } dueAt } userErrors { field code message } } }";
    public const string Accept = "mutation($id: ID!) { acceptPartnerLead(leadId: $id) { result { status } userErrors { field code message } } }";
    public const string Reject = "mutation($id: ID!, $r: String!) { rejectPartnerLead(leadId: $id, reason: $r) { result { status } userErrors { field code message } } }";

    /// <summary>
    /// East China partners: 华东金牌 (gold, software, room for one lead), 华东银牌 (silver, software),
    /// 华东服务商 (platinum, services only); 华南金牌 (gold, software) in South China. One rule: East
    /// China leads to gold and silver partners.
    /// </summary>
    private static async Task<(PartnersTenant Tenant, Dictionary<string, string> Partners)> ChannelAsync(PartnersHost fixture)
    {
        var tenant = await fixture.TenantAsync();
        await tenant.PortalAsync();
        var partners = new Dictionary<string, string>();
        foreach (var (name, tier, region, specialization, capacity) in new[] { ("华东金牌", "gold", "east", "software", 1), ("华东银牌", "silver", "east", "software", 5), ("华东服务商", "platinum", "east", "services", 5), ("华南金牌", "gold", "south", "software", 5) })
        {
            partners[name] = (await tenant.Admin.CreateAsync("Partner", new { name, type = "reseller", tier, regions = new[] { region }, specializations = new[] { specialization }, leadCapacity = capacity })).Id();
        }

        await tenant.Admin.CreateAsync("PartnerLeadRule", new { name = "华东线索给金银牌", priority = 10, regions = new[] { "east" }, tiers = new[] { "gold", "silver" } });
        return (tenant, partners);
    }

    private static async Task<string> LeadAsync(PartnersTenant tenant, string name, string region = "east") =>
        (await tenant.Admin.CreateAsync("Lead", new { name, company = $"{name}公司", region, productInterest = "software" })).Id();

    [Fact]
    public async Task Leads_go_by_region_tier_specialization_and_capacity_and_partners_answer_in_the_portal()
    {
        var (tenant, partners) = await ChannelAsync(fixture);
        var gold = await tenant.PartnerStaffAsync("gold@east.cn", partners["华东金牌"]);
        var silver = await tenant.PartnerStaffAsync("silver@east.cn", partners["华东银牌"]);

        // The first East China software lead goes to the gold partner (the platinum one doesn't sell software,
        // the South China one works elsewhere); the gold partner is then full, so the second goes to silver.
        var first = await LeadAsync(tenant, "王磊");
        var second = await LeadAsync(tenant, "李强");
        Assert.Equal(("offered", "华东金牌"), await tenant.Admin.RunAsync(Distribute, new { id = first }) is var o1 ? (o1["status"].Str(), o1["partner"]!["name"].Str()) : default);
        Assert.Equal("华东银牌", (await tenant.Admin.RunAsync(Distribute, new { id = second }))["partner"]!["name"].Str());

        // Each partner's staff see only the lead offered to them, and can't answer for the other's.
        Assert.Equal(["王磊"], (await gold.QueryAsync("{ leads { nodes { name partnerStatus } } }"))["leads"]!["nodes"]!.AsArray().Select(l => l!["name"].Str()));
        Assert.Equal(["李强"], (await silver.QueryAsync("{ partnerLeadOffers { nodes { lead { name } } } }"))["partnerLeadOffers"]!["nodes"]!.AsArray().Select(l => l!["lead"]!["name"].Str()));
        Assert.Equal(("NOT_FOUND", "leadId"), await silver.RefusedAsync(Accept, new { id = first }) is var r ? (r.Code, r.Field) : default);

        // Gold accepts; silver rejects, and the lead finds nobody else with room (gold is full): it is back with sales.
        Assert.Equal("accepted", (await gold.RunAsync(Accept, new { id = first }))["status"].Str());
        Assert.Equal("rejected", (await silver.RunAsync(Reject, new { id = second, r = "不在我们的服务范围" }))["status"].Str());
        var leads = await tenant.Admin.QueryAsync("{ leads { nodes { name partner { name } partnerStatus } } }");
        Assert.Equal(["李强 - -", "王磊 华东金牌 accepted"], leads["leads"]!["nodes"]!.AsArray().Select(l => $"{l!["name"].Str()} {l["partner"]?["name"]?.GetValue<string>() ?? "-"} {l["partnerStatus"]?.GetValue<string>() ?? "-"}").Order(StringComparer.Ordinal));
        Assert.Empty((await silver.QueryAsync("{ leads { nodes { name } } }"))["leads"]!["nodes"]!.AsArray());
    }

    [Fact]
    public async Task An_offer_unanswered_in_time_goes_to_the_next_partner_once_however_often_the_job_runs()
    {
        var (tenant, _) = await ChannelAsync(fixture);
        var lead = await LeadAsync(tenant, "王磊");
        var offered = await tenant.Admin.RunAsync(Distribute, new { id = lead });
        var due = DateTime.Parse(offered["dueAt"].Str(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(48, Math.Round((due - DateTime.UtcNow).TotalHours));

        await fixture.RunJobsAsync(due.AddMinutes(-14)); // not yet
        await fixture.RunJobsAsync(due.AddMinutes(15));
        await fixture.RunJobsAsync(due.AddMinutes(30));

        var offers = await tenant.Admin.QueryAsync("{ partnerLeadOffers(orderBy: { offeredAt: ASC }) { nodes { partner { name } status } } leads { nodes { partner { name } partnerStatus } } }");
        Assert.Equal(["华东金牌 expired", "华东银牌 offered"], offers["partnerLeadOffers"]!["nodes"]!.AsArray().Select(o => $"{o!["partner"]!["name"].Str()} {o["status"].Str()}"));
        Assert.Equal(("华东银牌", "offered"), (offers["leads"]!["nodes"]![0]!["partner"]!["name"].Str(), offers["leads"]!["nodes"]![0]!["partnerStatus"].Str()));
    }

    [Fact]
    public async Task An_accepted_lead_converted_by_sales_is_a_partner_sourced_opportunity_in_the_funnel_and_forecast()
    {
        var (tenant, partners) = await ChannelAsync(fixture);
        var gold = await tenant.PartnerStaffAsync("gold@east.cn", partners["华东金牌"]);
        var lead = await LeadAsync(tenant, "王磊");
        await tenant.Admin.RunAsync(Distribute, new { id = lead });
        await gold.RunAsync(Accept, new { id = lead });
        var close = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var converted = await tenant.Admin.RunAsync("mutation($id: ID!) { convertLead(id: $id, createOpportunity: true, amount: 88000) { result { opportunity { id partner { name } partnerRole } } userErrors { field code message } } }", new { id = lead });
        var opportunity = converted["opportunity"]!;
        Assert.Equal(("华东金牌", "sourced"), (opportunity["partner"]!["name"].Str(), opportunity["partnerRole"].Str()));
        await tenant.Admin.UpdateAsync("Opportunity", opportunity.Id(), new { expectedCloseDate = close });

        // Sales' own funnel and forecast count it (they read every opportunity the caller may see), and the partner's staff see it as theirs.
        var sales = await tenant.Admin.QueryAsync("{ salesFunnel { stages { count amount } } salesForecast(period: YEAR) { total { pipeline } } }");
        Assert.Equal(1, sales["salesFunnel"]!["stages"]!.AsArray().Sum(s => s!["count"]!.GetValue<int>()));
        Assert.Equal(88000m, sales["salesFunnel"]!["stages"]!.AsArray().Sum(s => s!["amount"]!.GetValue<decimal>()));
        Assert.Equal(88000m, sales["salesForecast"]!.AsArray().Sum(p => p!["total"]!["pipeline"]!.GetValue<decimal>()));
        Assert.Equal(["华东金牌"], (await gold.QueryAsync("{ opportunities { nodes { partner { name } } } }"))["opportunities"]!["nodes"]!.AsArray().Select(o => o!["partner"]!["name"].Str()));
    }

    [Fact]
    public async Task Distributing_and_answering_refuse_bad_input_and_write_nothing()
    {
        var (tenant, partners) = await ChannelAsync(fixture);
        var gold = await tenant.PartnerStaffAsync("gold@east.cn", partners["华东金牌"]);
        var (_, rep) = await tenant.UserAsync("li@example.com", "李娜");
        var southern = await LeadAsync(tenant, "张伟", region: "north");
        var lead = await LeadAsync(tenant, "王磊");
        await tenant.Admin.RunAsync(Distribute, new { id = lead });
        await gold.RunAsync(Accept, new { id = lead });
        var fresh = await LeadAsync(tenant, "赵敏");
        var pending = await LeadAsync(tenant, "孙丽");
        await tenant.Admin.RunAsync(Distribute, new { id = pending }); // to 华东银牌: 华东金牌 is full

        var refusals = new[]
        {
            (await tenant.Admin.RefusedAsync(Distribute, new { id = southern }), "PARTNER_NO_CANDIDATE", "leadId"),
            (await tenant.Admin.RefusedAsync(Distribute, new { id = lead }), "INVALID_STATE", "leadId"),
            (await rep.RefusedAsync(Distribute, new { id = fresh }), "FORBIDDEN", (string?)null),
            (await gold.RefusedAsync(Accept, new { id = lead }), "INVALID_STATE", "leadId"),
            (await tenant.Admin.RefusedAsync(Accept, new { id = fresh }), "INVALID_STATE", "leadId"),
            (await tenant.Admin.RefusedAsync(Reject, new { id = fresh, r = "不需要" }), "INVALID_STATE", "leadId"),
            (await tenant.Admin.RefusedAsync(Reject, new { id = pending, r = " " }), "INVALID_INPUT", "reason"),
            (await tenant.Admin.RefusedAsync("mutation($id: ID!, $i: UpdateLeadInput!) { updateLead(id: $id, input: $i) { lead { id } userErrors { field code message } } }", new { id = fresh, i = new { partnerId = partners["华东银牌"] } }), "COMPUTED_FIELD", "partner"),
            (await tenant.Admin.RefusedAsync("mutation($i: CreatePartnerLeadOfferInput!) { createPartnerLeadOffer(input: $i) { partnerLeadOffer { id } userErrors { field code message } } }", new { i = new { leadId = fresh, partnerId = partners["华东银牌"], status = "offered" } }), "INVALID_STATE", null),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        var after = await tenant.Admin.QueryAsync("{ partnerLeadOffers(orderBy: { offeredAt: ASC }) { nodes { status partner { name } } } leads { nodes { name partnerStatus } } }");
        Assert.Equal(["accepted 华东金牌", "offered 华东银牌"], after["partnerLeadOffers"]!["nodes"]!.AsArray().Select(o => $"{o!["status"].Str()} {o["partner"]!["name"].Str()}"));
        Assert.Equal(["孙丽 offered", "张伟 -", "王磊 accepted", "赵敏 -"], after["leads"]!["nodes"]!.AsArray().Select(l => $"{l!["name"].Str()} {l["partnerStatus"]?.GetValue<string>() ?? "-"}").Order(StringComparer.Ordinal));
    }
}
