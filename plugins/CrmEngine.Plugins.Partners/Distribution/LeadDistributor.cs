using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Partners.Distribution;

/// <summary>
/// Offers a lead to a partner: the active rules are tried by priority; a rule takes a lead of one of
/// its regions (any, when it names none), and offers it to an active partner of its tiers and
/// specializations that works in the lead's region, specializes in the lead's product interest (when
/// it has one), has room under its lead capacity and was not offered this lead before. Among those,
/// the highest tier, then the least loaded, then by name. The offer waits leadResponseHours for the
/// partner's answer; the lead names the partner, so the partner's staff see it in the portal.
/// </summary>
internal static class LeadDistributor
{
    private static readonly string[] Tiers = ["registered", "silver", "gold", "platinum"];

    /// <summary>The offer made, or null when no rule finds a partner with room.</summary>
    public static async Task<CrmRecord?> OfferAsync(IRecordApi records, IPluginSettings settings, CrmRecord lead, DateTime now, CancellationToken cancellationToken)
    {
        var region = lead.GetValue<string>("region");
        var interest = lead.GetValue<string>("productInterest");
        var tried = (await records.FindAsync(DistributionEntities.Offer, Condition.Eq("lead", lead.Id), 200, cancellationToken)).Select(o => o.GetValue<Guid>("partner")).ToHashSet();
        var rules = await records.QueryAsync(DistributionEntities.Rule, new RecordQuery { Where = Condition.Eq("active", true), OrderBy = [SortBy.Asc("priority"), SortBy.Asc("name")], First = 100 }, cancellationToken);
        foreach (var rule in rules.Records)
        {
            var regions = rule.GetValue<IReadOnlyList<string>>("regions") ?? [];
            if (regions.Count > 0 && (region is null || !regions.Contains(region)))
            {
                continue;
            }

            var eligible = new List<Condition> { Condition.Eq("status", "active") };
            if (region is not null)
            {
                eligible.Add(Condition.Has("regions", region));
            }

            if (interest is not null)
            {
                eligible.Add(Condition.Has("specializations", interest));
            }

            if (rule.GetValue<IReadOnlyList<string>>("tiers") is { Count: > 0 } tiers)
            {
                eligible.Add(Condition.In("tier", tiers.Cast<object?>()));
            }

            if (rule.GetValue<IReadOnlyList<string>>("specializations") is { Count: > 0 } specializations)
            {
                eligible.Add(Condition.HasAny("specializations", specializations));
            }

            var candidates = new List<(CrmRecord Partner, long Load)>();
            foreach (var partner in await RecordReads.AllAsync(records, PartnerEntities.Partner, Condition.All([.. eligible]), cancellationToken))
            {
                var load = await records.CountAsync(DistributionEntities.Offer, Condition.All(Condition.Eq("partner", partner.Id), Condition.In("status", DistributionEntities.Open), Condition.Through("lead", Condition.In("status", ["new", "contacted", "qualified"]))), cancellationToken);
                if (!tried.Contains(partner.Id) && load < (partner.GetValue<long?>("leadCapacity") ?? 5))
                {
                    candidates.Add((partner, load));
                }
            }

            var chosen = candidates
                .OrderByDescending(c => Array.IndexOf(Tiers, c.Partner.GetValue<string>("tier")))
                .ThenBy(c => c.Load)
                .ThenBy(c => c.Partner.GetValue<string>("name"), StringComparer.Ordinal)
                .Select(c => c.Partner).FirstOrDefault();
            if (chosen is not null)
            {
                var due = now.AddHours(await settings.GetAsync<long>(DistributionEntities.ResponseHours, cancellationToken));
                var offer = await Writes.RequireAsync(records.CreateAsync(DistributionEntities.Offer, new FieldValues
                {
                    ["lead"] = lead.Id, ["partner"] = chosen.Id, ["rule"] = rule.Id, ["status"] = "offered", ["offeredAt"] = now, ["dueAt"] = due,
                }, cancellationToken), "leadId");
                await Writes.RequireAsync(records.UpdateAsync("lead", lead.Id, new FieldValues { ["partner"] = chosen.Id, ["partnerStatus"] = "offered", ["partnerDueAt"] = due }, lead.Version, cancellationToken), "leadId");
                return offer;
            }
        }

        await Writes.RequireAsync(records.UpdateAsync("lead", lead.Id, new FieldValues { ["partner"] = null, ["partnerStatus"] = null, ["partnerDueAt"] = null }, lead.Version, cancellationToken), "leadId");
        return null;
    }

    /// <summary>The lead's offer waiting for an answer; INVALID_STATE when there is none.</summary>
    public static async Task<CrmRecord> PendingOfferAsync(IRecordApi records, CrmRecord lead, CancellationToken cancellationToken)
    {
        var offers = await records.FindAsync(DistributionEntities.Offer, Condition.All(Condition.Eq("lead", lead.Id), Condition.Eq("status", "offered")), 1, cancellationToken);
        return offers.Count > 0 ? offers[0] : throw new OperationException(PartnerErrors.InvalidState, $"Lead '{lead.GetValue<string>("name")}' is not waiting for a partner's answer.", "leadId");
    }
}
