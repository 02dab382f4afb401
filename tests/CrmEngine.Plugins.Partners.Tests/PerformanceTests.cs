using System.Globalization;
using static CrmEngine.Plugins.Partners.Tests.Incentives;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Partner performance (绩效): the scorecard's figures, weighted score and rank, and the tier review with its grace period.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class PerformanceTests(PartnersHost fixture)
{
    public const string Scorecard = """
        query($period: String!) { partnerScorecard(period: $period) {
          rank partnerName tier score revenueSourced revenueInfluenced registrationsSubmitted registrationsApproved registrationsWon winRate cycleDays attainment activeCertifications } }
        """;

    public const string Review = "mutation($period: String!, $asOf: Date) { reviewPartnerTiers(period: $period, asOf: $asOf) { result userErrors { field code message } } }";

    /// <summary>The China calendar day (the module's), and its year as the period everything below happens in.</summary>
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static string Year => Today.Year.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// 华东智联 (gold): a registered deal won and 20,000 collected, another opportunity lost, a 25,000
    /// target, two certifications. 南方渠道 (platinum): a registered deal won and 10,000 collected, 3,000
    /// collected on a deal it influenced, an 8,000 target, one certification.
    /// </summary>
    private static async Task<(PartnersTenant Tenant, string East, string South)> ChannelAsync(PartnersHost fixture)
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var east = await tenant.PartnerAsync("华东智联");
        var south = await tenant.PartnerAsync("南方渠道");
        await admin.UpdateAsync("Partner", south, new { tier = "platinum" });
        foreach (var (partner, customer, collected, target, certifications) in new[] { (east, "腾达科技", 20000m, 25000m, 2), (south, "星辰科技", 10000m, 8000m, 1) })
        {
            var registration = (await admin.RunAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(partner, customer))).Id();
            await admin.RunAsync(DealRegistrationTests.Approve, new { id = registration });
            var opportunity = (await admin.RunAsync("mutation($id: ID!) { convertDealRegistration(id: $id) { result { account { id } opportunity { id } } userErrors { field code message } } }", new { id = registration }))!;
            await admin.RunAsync("mutation($id: ID!) { winOpportunity(id: $id) { result { id } userErrors { field code message } } }", new { id = opportunity["opportunity"]!.Id() });
            var order = await OrderAsync(admin, opportunity["account"]!.Id(), opportunity["opportunity"]!.Id());
            await PaymentAsync(admin, order, collected, Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await admin.CreateAsync("PartnerTarget", new { partnerId = partner, period = Year, revenueTarget = new { amount = target } });
            for (var i = 0; i < certifications; i++)
            {
                await admin.CreateAsync("PartnerCertification", new { partnerId = partner, name = $"认证 {i + 1}", issuedOn = $"{Year}-01-01" });
            }
        }

        var lost = (await admin.CreateAsync("Opportunity", new { name = "丢单商机", accountId = (await admin.CreateAsync("Account", new { name = "远航物流" })).Id(), amount = new { amount = 5000m }, partnerId = east, partnerRole = "sourced" })).Id();
        await admin.RunAsync("mutation($id: ID!) { loseOpportunity(id: $id, reason: \"price\") { result { id } userErrors { field code message } } }", new { id = lost });
        var (_, influenced) = await PartnerDealAsync(admin, south, "云帆网络", role: "influenced");
        await PaymentAsync(admin, influenced, 3000m, Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return (tenant, east, south);
    }

    [Fact]
    public async Task The_scorecard_weighs_each_partners_figures_as_worked_out_by_hand_and_follows_the_tenants_weights()
    {
        var (tenant, _, _) = await ChannelAsync(fixture);

        // 华东智联: revenue 20,000 (the best: 100), won 1 of 2 closed (50), attainment 80, 2 certifications (the most: 100)
        //   → (40 × 100 + 20 × 50 + 25 × 80 + 15 × 100) / 100 = 85.00
        // 南方渠道: revenue 10,000 (50), won 1 of 1 (100), attainment 125 (counted as 100), 1 certification (50)
        //   → (40 × 50 + 20 × 100 + 25 × 100 + 15 × 50) / 100 = 72.50
        var rows = (await tenant.Admin.QueryAsync(Scorecard, new { period = Year }))["partnerScorecard"]!.AsArray();
        var cycles = (await tenant.Admin.QueryAsync("{ dealRegistrations(orderBy: { number: ASC }) { nodes { submittedAt opportunity { closedOn } } } }"))["dealRegistrations"]!["nodes"]!.AsArray()
            .Select(r => (decimal)(DateOnly.Parse(r!["opportunity"]!["closedOn"].Str(), CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(DateTime.Parse(r["submittedAt"].Str(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).AddHours(8)).DayNumber)).ToList();
        Assert.Equal(
            [
                $"1 华东智联 gold 85 20000 0 1/1/1 50 {cycles[0]} 80 2",
                $"2 南方渠道 platinum 72.5 10000 3000 1/1/1 100 {cycles[1]} 125 1",
            ],
            rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r!["rank"]} {r["partnerName"].Str()} {r["tier"].Str()} {r["score"].Dec():0.##} {r["revenueSourced"].Dec():0.##} {r["revenueInfluenced"].Dec():0.##} {r["registrationsSubmitted"]}/{r["registrationsApproved"]}/{r["registrationsWon"]} {r["winRate"].Dec():0.##} {r["cycleDays"].Dec():0.##} {r["attainment"].Dec():0.##} {r["activeCertifications"]}")));

        // Weighing revenue alone: 100 and 50, the same ranking.
        await tenant.Admin.MutateAsync("mutation { setPluginSettings(plugin: \"partners\", values: [{ name: \"weightWinRate\", value: 0 }, { name: \"weightAttainment\", value: 0 }, { name: \"weightCertifications\", value: 0 }]) { settings { name } userErrors { field code message } } }");
        var revenueOnly = (await tenant.Admin.QueryAsync(Scorecard, new { period = Year }))["partnerScorecard"]!.AsArray();
        Assert.Equal([100m, 50m], revenueOnly.Select(r => r!["score"].Dec()));
    }

    [Fact]
    public async Task A_tier_review_upgrades_at_once_warns_before_a_downgrade_and_decides_nothing_twice()
    {
        var (tenant, east, south) = await ChannelAsync(fixture);
        var admin = tenant.Admin;
        string Day(int days) => Today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // 85.00 earns platinum (80): 华东智联 is upgraded; 72.50 earns gold: 南方渠道 is warned, with 90 days' grace.
        Assert.Equal(2, (await admin.RunAsync(Review, new { period = Year, asOf = Day(0) })).GetValue<int>());

        // The same review again, twice at once, and before the grace has passed: nothing new.
        var again = await Task.WhenAll(admin.PostAsync(Review, new { period = Year, asOf = Day(0) }), admin.PostAsync(Review, new { period = Year, asOf = Day(0) }));
        Assert.All(again, r => Assert.True(r.UserErrorCodes.Count > 0 || r.Data!["reviewPartnerTiers"]!["result"]!.GetValue<int>() == 0));
        Assert.Equal(0, (await admin.RunAsync(Review, new { period = Year, asOf = Day(89) })).GetValue<int>());

        // 90 days on, still below platinum: 南方渠道 goes down to gold.
        Assert.Equal(1, (await admin.RunAsync(Review, new { period = Year, asOf = Day(90) })).GetValue<int>());
        var history = await admin.QueryAsync("{ partnerTierChanges(orderBy: [{ reviewedOn: ASC }, { kind: ASC }]) { nodes { partner { name } kind fromTier toTier score reviewedOn } } partners(orderBy: { name: ASC }) { nodes { name tier score downgradePendingSince } } }");
        Assert.Equal(
            [$"华东智联 upgrade gold→platinum 85 {Day(0)}", $"南方渠道 warning platinum→platinum 72.5 {Day(0)}", $"南方渠道 downgrade platinum→gold 72.5 {Day(90)}"],
            history["partnerTierChanges"]!["nodes"]!.AsArray().Select(c => string.Create(CultureInfo.InvariantCulture, $"{c!["partner"]!["name"].Str()} {c["kind"].Str()} {c["fromTier"].Str()}→{c["toTier"].Str()} {c["score"].Dec():0.##} {c["reviewedOn"].Str()}")));
        Assert.Equal(["华东智联 platinum ", "南方渠道 gold "], history["partners"]!["nodes"]!.AsArray().Select(p => $"{p!["name"].Str()} {p["tier"].Str()} {p["downgradePendingSince"]}").Order(StringComparer.Ordinal));
        Assert.NotEqual(east, south);
    }

    [Fact]
    public async Task The_quarterly_job_reviews_the_quarter_just_ended_once()
    {
        var (tenant, _, _) = await ChannelAsync(fixture);
        var quarter = ((Today.Month - 1) / 3) + 1;
        var next = new DateOnly(Today.Year, ((quarter - 1) * 3) + 1, 1).AddMonths(3);
        var due = new DateTime(next.Year, next.Month, 1, 2, 0, 0, DateTimeKind.Utc);

        await fixture.RunJobsAsync(due);
        await fixture.RunJobsAsync(due.AddMinutes(5));

        var changes = (await tenant.Admin.QueryAsync("{ partnerTierChanges(orderBy: { kind: DESC }) { nodes { period kind partner { name } } } }"))["partnerTierChanges"]!["nodes"]!.AsArray();
        // The quarter has no targets (they are the year's): 华东智联 scores (4,000 + 1,000 + 1,500) / 100 = 65.00 and
        // keeps gold; 南方渠道 scores (2,000 + 2,000 + 750) / 100 = 47.50, silver's, and is warned.
        Assert.Equal([$"{Today.Year}-Q{quarter} warning 南方渠道"], changes.Select(c => $"{c!["period"].Str()} {c["kind"].Str()} {c["partner"]!["name"].Str()}"));
    }
}

/// <summary>Targets, scorecards and tier reviews refuse bad input with a typed code, and change nothing.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class PerformanceBadInputTests(PartnersHost fixture)
{
    [Fact]
    public async Task Targets_scorecards_and_reviews_refuse_bad_input_and_outsiders_and_write_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var partner = await tenant.PartnerAsync("华东智联");
        var (_, rep) = await tenant.UserAsync("li@example.com", "李娜");
        await admin.CreateAsync("PartnerTarget", new { partnerId = partner, period = "2027", revenueTarget = new { amount = 1000000m } });
        const string CreateTarget = "mutation($i: CreatePartnerTargetInput!) { createPartnerTarget(input: $i) { partnerTarget { id } userErrors { field code message } } }";
        const string UpdatePartner = "mutation($id: ID!, $i: UpdatePartnerInput!) { updatePartner(id: $id, input: $i) { partner { id } userErrors { field code message } } }";
        const string CreateChange = "mutation($i: CreatePartnerTierChangeInput!) { createPartnerTierChange(input: $i) { partnerTierChange { id } userErrors { field code message } } }";

        var refusals = new[]
        {
            (await admin.RefusedAsync(CreateTarget, new { i = new { partnerId = partner, period = "2027", revenueTarget = new { amount = 5m } } }), "INVALID_INPUT", (string?)"period"),
            (await admin.RefusedAsync(CreateTarget, new { i = new { partnerId = partner, period = "next year", revenueTarget = new { amount = 5m } } }), "PATTERN_MISMATCH", "period"),
            (await admin.RefusedAsync(CreateTarget, new { i = new { partnerId = partner, period = "2028", revenueTarget = new { amount = 0m } } }), "OUT_OF_RANGE", "revenueTarget"),
            (await admin.RefusedAsync(CreateChange, new { i = new { partnerId = partner, period = "2027", kind = "upgrade", key = "x" } }), "INVALID_STATE", null),
            (await admin.RefusedAsync(PerformanceTests.Review, new { period = "2027-Q9" }), "INVALID_INPUT", "period"),
            (await rep.RefusedAsync(PerformanceTests.Review, new { period = "2027" }), "FORBIDDEN", null),
            (await admin.RefusedAsync(UpdatePartner, new { id = partner, i = new { score = 99.5m } }), "COMPUTED_FIELD", "score"),
            (await admin.RefusedAsync(UpdatePartner, new { id = partner, i = new { downgradePendingSince = "2027-01-01" } }), "COMPUTED_FIELD", "downgradePendingSince"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        Assert.Equal(["INVALID_INPUT"], (await admin.PostAsync(PerformanceTests.Scorecard, new { period = "2027-H3" })).ErrorCodes);
        Assert.Equal(["FORBIDDEN"], (await rep.PostAsync(PerformanceTests.Scorecard, new { period = "2027" })).ErrorCodes);
        Assert.Equal((1, 0), (await tenant.CountAsync("partnerTargets"), await tenant.CountAsync("partnerTierChanges")));
    }
}
