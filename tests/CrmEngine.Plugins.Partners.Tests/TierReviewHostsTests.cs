using System.Globalization;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// Two hosts on one PostgreSQL database run the quarterly tier review at the same time, three times
/// each: every decision (upgrade, downgrade warning, downgrade after the grace period) is recorded
/// once per partner, period and kind, and each partner moves once, because the decision's record is
/// unique in the store and written before the partner changes (the later writer is refused and moves on).
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class TierReviewHostsTests : IDisposable
{
    private const int EachKind = 6;

    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());

    public void Dispose() => _hosts.Dispose();

    [PostgresFact]
    public async Task The_tier_review_run_at_once_on_two_hosts_records_each_decision_once()
    {
        var settings = new Dictionary<string, string?> { ["Crm:PluginDirectory"] = Path.Combine(AppContext.BaseDirectory, "plugins"), ["Crm:JobsEnabled"] = "false" };
        CrmHost[] hosts = [_hosts.Start(settings), _hosts.Start(settings)];
        using var admin = await hosts[0].NewTenantAsync();
        foreach (var plugin in new[] { "sales", "partners" })
        {
            await admin.MutateAsync("mutation($id: String!) { enablePlugin(id: $id) { userErrors { field code message } } }", new { id = plugin });
        }

        // Certifications alone weigh: a partner's score is its share of the most certified partner's count.
        await admin.MutateAsync("mutation { setPluginSettings(plugin: \"partners\", values: [{ name: \"weightRevenue\", value: 0 }, { name: \"weightWinRate\", value: 0 }, { name: \"weightAttainment\", value: 0 }, { name: \"weightCertifications\", value: 100 }]) { settings { name } userErrors { field code message } } }");

        // Registered partners with two certifications score 100 (platinum's); platinum and silver
        // partners with one score 50 (silver's): the first are upgraded, the platinum ones warned, then
        // downgraded to silver after the 90 days' grace; the silver ones stay as they are.
        foreach (var (tier, certifications) in new[] { ("registered", 2), ("platinum", 1), ("silver", 1) })
        {
            for (var i = 0; i < EachKind; i++)
            {
                var partner = (await admin.MutateAsync(
                    "mutation($i: CreatePartnerInput!) { createPartner(input: $i) { partner { id } userErrors { field code message } } }",
                    new { i = new { name = $"{tier}伙伴{i:00}", type = "reseller", tier } }))["partner"]!["id"]!.GetValue<string>();
                for (var c = 0; c < certifications; c++)
                {
                    await admin.MutateAsync(
                        "mutation($i: CreatePartnerCertificationInput!) { createPartnerCertification(input: $i) { partnerCertification { id } userErrors { field code message } } }",
                        new { i = new { partnerId = partner, name = $"认证 {c + 1}", issuedOn = "2027-01-01" } });
                }
            }
        }

        // 1 April 2027 (10:00 China time) reviews 2027-Q1; 1 July, 91 days on, reviews 2027-Q2.
        foreach (var due in new[] { new DateTime(2027, 4, 1, 2, 0, 0, DateTimeKind.Utc), new DateTime(2027, 7, 1, 2, 0, 0, DateTimeKind.Utc) })
        {
            await JobsOnSeveralHosts.RunTogetherAsync(hosts, admin.TenantId, "partners", "review-partner-tiers", due);
        }

        using var onSecond = hosts[1].Client(admin.TenantId, admin.Key);
        var read = await onSecond.QueryAsync("{ partnerTierChanges(first: 100) { totalCount nodes { partner { name } period kind fromTier toTier reviewedOn } } partners(first: 100) { nodes { name tier downgradePendingSince } } }");
        var changes = read["partnerTierChanges"]!["nodes"]!.AsArray().Select(Change).Order(StringComparer.Ordinal).ToList();
        var expected = Enumerable.Range(0, EachKind).SelectMany(i => new[]
        {
            $"registered伙伴{i:00} 2027-Q1 upgrade registered→platinum 2027-04-01",
            $"platinum伙伴{i:00} 2027-Q1 warning platinum→platinum 2027-04-01",
            $"platinum伙伴{i:00} 2027-Q2 downgrade platinum→silver 2027-07-01",
        }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, changes);
        Assert.Equal(EachKind * 3, read["partnerTierChanges"]!["totalCount"]!.GetValue<int>());

        var tiers = read["partners"]!["nodes"]!.AsArray().GroupBy(p => $"{p!["tier"]!.GetValue<string>()} {p["downgradePendingSince"]}").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["platinum "] = EachKind, ["silver "] = EachKind * 2 }, tiers);
    }

    private static string Change(JsonNode? c) => string.Create(
        CultureInfo.InvariantCulture,
        $"{c!["partner"]!["name"]!.GetValue<string>()} {c["period"]!.GetValue<string>()} {c["kind"]!.GetValue<string>()} {c["fromTier"]!.GetValue<string>()}→{c["toTier"]!.GetValue<string>()} {c["reviewedOn"]!.GetValue<string>()}");
}
