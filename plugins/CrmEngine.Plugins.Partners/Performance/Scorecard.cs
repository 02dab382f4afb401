using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Incentives;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Plugins.Partners.Registrations;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Partners.Performance;

/// <summary>One partner's figures for a period, its weighted score and its rank.</summary>
internal sealed record PartnerScore(
    CrmRecord Partner, decimal RevenueSourced, decimal RevenueInfluenced, int Submitted, int Approved, int Won,
    decimal? WinRate, decimal? CycleDays, decimal? Attainment, int Certifications)
{
    public decimal Score { get; set; }

    public int Rank { get; set; }

    public Dictionary<string, object?> ToResult() => new()
    {
        ["partnerId"] = RecordIds.GlobalId(Partner.Entity, Partner.Id), ["partnerName"] = Partner.GetValue<string>("name"), ["tier"] = Partner.GetValue<string>("tier"),
        ["rank"] = Rank, ["score"] = Score, ["revenueSourced"] = RevenueSourced, ["revenueInfluenced"] = RevenueInfluenced,
        ["registrationsSubmitted"] = Submitted, ["registrationsApproved"] = Approved, ["registrationsWon"] = Won,
        ["winRate"] = WinRate, ["cycleDays"] = CycleDays, ["attainment"] = Attainment, ["activeCertifications"] = Certifications,
    };
}

/// <summary>
/// The partner scorecard (伙伴绩效) of a period, for every partner not terminated: revenue collected on
/// deals it sourced and influenced; registrations submitted, approved and won; win rate (won of its
/// opportunities closed in the period); cycle length (days from submitting a registration to winning
/// its deal); attainment of its revenue target; certifications valid at the period's end. The score
/// weighs, per the tenant's weights, sourced revenue and certifications as shares of the best
/// partner's, the win rate, and attainment (capped at 100): Σ weight × figure / Σ weights, to cents.
/// </summary>
internal static class Scorecard
{
    public static async Task<List<PartnerScore>> ComputeAsync(IRecordApi records, IPluginSettings settings, Period period, CancellationToken cancellationToken)
    {
        var partners = await RecordReads.AllAsync(records, PartnerEntities.Partner, Condition.Ne("status", "terminated"), cancellationToken);
        var scores = new List<PartnerScore>();
        foreach (var partner in partners)
        {
            scores.Add(await FiguresAsync(records, partner, period, cancellationToken));
        }

        var weights = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (setting, metric, _, _, _) in PerformanceEntities.Weights)
        {
            weights[metric] = await settings.GetAsync<long>(setting, cancellationToken);
        }

        var total = weights.Values.Sum();
        var bestRevenue = scores.Count == 0 ? 0m : scores.Max(s => s.RevenueSourced);
        var bestCertifications = scores.Count == 0 ? 0 : scores.Max(s => s.Certifications);
        foreach (var s in scores)
        {
            var weighted = (weights["revenue"] * Share(s.RevenueSourced, bestRevenue))
                + (weights["winRate"] * (s.WinRate ?? 0m))
                + (weights["attainment"] * Math.Min(s.Attainment ?? 0m, 100m))
                + (weights["certifications"] * Share(s.Certifications, bestCertifications));
            s.Score = total == 0m ? 0m : PartnerMoney.Round(weighted / total);
        }

        var ranked = scores.OrderByDescending(s => s.Score).ThenBy(s => s.Partner.GetValue<string>("name"), StringComparer.Ordinal).ToList();
        for (var i = 0; i < ranked.Count; i++)
        {
            ranked[i].Rank = i + 1;
        }

        return ranked;
    }

    private static decimal Share(decimal value, decimal best) => best == 0m ? 0m : value * 100m / best;

    private static async Task<PartnerScore> FiguresAsync(IRecordApi records, CrmRecord partner, Period period, CancellationToken cancellationToken)
    {
        bool In(DateOnly? day) => day is { } d && d >= period.First && d <= period.Last;
        DateOnly? Day(DateTime? at) => at is { } t ? PartnerSettings.Today(t) : null;

        var sourced = await SourcedRevenue.CollectedAsync(records, partner.Id, period, cancellationToken);
        var influenced = await SourcedRevenue.CollectedAsync(records, partner.Id, period, cancellationToken, role: "influenced");
        var ofPartner = Condition.Eq("partner", partner.Id);
        var registrations = await RecordReads.AllAsync(records, RegistrationEntities.Registration, ofPartner.And(Condition.IsNotNull("submittedAt")), cancellationToken);
        var opportunities = (await RecordReads.AllAsync(records, "opportunity", ofPartner.And(Condition.In("status", ["won", "lost"])), cancellationToken))
            .Where(o => In(o.GetValue<DateOnly?>("closedOn"))).ToList();
        var won = opportunities.Where(o => o.GetValue<string>("status") == "won").ToDictionary(o => o.Id);
        var cycles = registrations.Where(r => r.GetValue<Guid?>("opportunity") is { } o && won.ContainsKey(o))
            .Select(r => (decimal)(won[r.GetValue<Guid>("opportunity")].GetValue<DateOnly>("closedOn").DayNumber - Day(r.GetValue<DateTime?>("submittedAt"))!.Value.DayNumber)).ToList();
        var target = await records.FindAsync(PerformanceEntities.Target, ofPartner.And(Condition.Eq("period", period.Name)), 1, cancellationToken);
        var goal = target.Count > 0 ? PartnerMoney.AmountOf(target[0], "revenueTarget") : 0m;
        var certifications = await records.CountAsync(PartnerEntities.Certification, Condition.All(ofPartner, Condition.Lte("issuedOn", period.Last), Condition.Any(Condition.IsNull("expiresOn"), Condition.Gte("expiresOn", period.Last))), cancellationToken);

        return new PartnerScore(
            partner,
            sourced,
            influenced,
            registrations.Count(r => In(Day(r.GetValue<DateTime?>("submittedAt")))),
            registrations.Count(r => In(Day(r.GetValue<DateTime?>("approvedAt")))),
            cycles.Count,
            opportunities.Count == 0 ? null : PartnerMoney.Round(won.Count * 100m / opportunities.Count),
            cycles.Count == 0 ? null : PartnerMoney.Round(cycles.Average()),
            goal == 0m ? null : PartnerMoney.Round(sourced * 100m / goal),
            (int)certifications);
    }
}
