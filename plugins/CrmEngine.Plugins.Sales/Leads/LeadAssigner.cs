using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Identity;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// Picks the rep a new lead goes to, per the tenant's strategy, among active reps that accept leads:
/// round robin (the rep assigned least recently: stateless, so reps can come and go), fewest open
/// leads, or territory (reps whose regions name the lead's province or city, then fewest open
/// leads; everyone when no territory matches). Tenant rules run after this and may reassign. It
/// counts over every rep and lead, whoever writes the lead, so callers pass a record API that reads
/// them all (privileged, or the system identity's).
/// </summary>
internal static class LeadAssigner
{
    public static async Task<Rep?> PickAsync(IRecordApi records, IUserDirectory directory, SalesSettings settings, string? province, string? city, CancellationToken cancellationToken)
    {
        if (settings.LeadAssignment == "off")
        {
            return null;
        }

        var reps = (await Reps.ActiveAsync(records, directory, cancellationToken)).Where(r => r.AcceptsLeads).ToList();
        if (settings.LeadAssignment == "territory" && reps.Where(r => r.Covers(province, city)).ToList() is { Count: > 0 } local)
        {
            reps = local;
        }

        if (reps.Count == 0)
        {
            return null;
        }

        var ids = reps.Select(r => (object?)r.UserId).ToList();
        var lastAssigned = await ByOwnerAsync(records, Condition.In("ownerId", ids), Aggregate.Max("assignedAt"), cancellationToken);
        var open = await ByOwnerAsync(records, Condition.In("ownerId", ids).And(Condition.In("status", LeadEntity.OpenStatuses)), null, cancellationToken);
        var ordered = settings.LeadAssignment == "roundRobin"
            ? reps.OrderBy(r => Last(lastAssigned, r))
            : reps.OrderBy(r => open.TryGetValue(r.UserId, out var g) ? g.Count : 0).ThenBy(r => Last(lastAssigned, r));
        return ordered.ThenBy(r => r.UserId).First();
    }

    private static DateTime Last(Dictionary<Guid, AggregateGroup> groups, Rep rep) =>
        groups.TryGetValue(rep.UserId, out var group) ? group.Value<DateTime?>(Aggregate.Max("assignedAt")) ?? DateTime.MinValue : DateTime.MinValue;

    private static async Task<Dictionary<Guid, AggregateGroup>> ByOwnerAsync(IRecordApi records, Condition where, Aggregate? value, CancellationToken cancellationToken)
    {
        var result = await records.AggregateAsync(LeadEntity.Name, new AggregateRequest
        {
            Where = where,
            GroupBy = [new Grouping("ownerId")],
            Values = value is null ? [] : [value],
            GroupLimit = 1000,
        }, cancellationToken);
        return result.Groups.Where(g => g.Key[0] is Guid).ToDictionary(g => (Guid)g.Key[0]!);
    }
}
