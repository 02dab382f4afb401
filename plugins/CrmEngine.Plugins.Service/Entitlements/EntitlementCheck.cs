using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Service.Entitlements;

/// <summary>
/// Checks a new case against its account's entitlements, in the case's own transaction: of the
/// entitlements valid on the day it was received (UTC) for its product (or all products) and its
/// channel (or all channels), one with something left wins (a product-specific one first, then the
/// one ending soonest). A case is never refused for want of an entitlement (a customer's mail must
/// still be heard): it is flagged <c>notEntitled</c> or <c>exhausted</c> for the agent to decide.
/// A covered case counted in cases uses one at once, written with the entitlement's version checked,
/// so two cases racing for the last one can't both take it (the loser is refused VERSION_CONFLICT
/// and nothing of it is written).
/// </summary>
internal static class EntitlementCheck
{
    public const string Covered = "covered";
    public const string NotEntitled = "notEntitled";
    public const string Exhausted = "exhausted";

    private static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    public static async Task ApplyAsync(IRecordContext record, DateTime receivedAt, CancellationToken cancellationToken)
    {
        if (record.GetValue("account") is not Guid account)
        {
            return;
        }

        var records = record.PrivilegedRecords;
        var day = DateOnly.FromDateTime(receivedAt);
        var product = record.GetValue("product") as Guid?;
        var channel = record.GetValue("channel") as string ?? "api";
        var valid = await records.FindAsync(EntitlementEntities.Entitlement, Condition.All(Condition.Eq("account", account), Condition.Lte("startDate", day), Condition.Gte("endDate", day)), 200, cancellationToken);
        var chosen = valid
            .Where(e => e.GetValue("product") is not Guid p || p == product)
            .Where(e => e.GetValue<IReadOnlyList<string>>("channels") is not { Count: > 0 } channels || channels.Contains(channel))
            .OrderByDescending(HasRoom)
            .ThenByDescending(e => e.GetValue("product") is Guid)
            .ThenBy(e => e.GetValue<DateOnly>("endDate"))
            .ThenBy(e => e.CreatedAt)
            .FirstOrDefault();
        if (chosen is null)
        {
            record.SetValue("entitlementStatus", NotEntitled);
            return;
        }

        record.SetValue("entitlement", chosen.Id);
        if (!HasRoom(chosen))
        {
            record.SetValue("entitlementStatus", Exhausted);
            return;
        }

        record.SetValue("entitlementStatus", Covered);
        if (chosen.GetValue<string>("unit") == "cases")
        {
            await Writes.RequireAsync(records.UpdateAsync(EntitlementEntities.Entitlement, chosen.Id, new FieldValues { ["used"] = Used(chosen) + 1 }, chosen.Version, cancellationToken), "entitlement");
        }

        // The agreement's tier: its cases start at least at its priority, so its SLA policy applies.
        var tier = Array.IndexOf(Priorities, chosen.GetValue<string>("priority"));
        if (tier > Array.IndexOf(Priorities, record.GetValue("priority") as string ?? "normal"))
        {
            record.SetValue("priority", Priorities[tier]);
        }
    }

    /// <summary>What an entitlement has used (cases, or hours).</summary>
    public static decimal Used(CrmRecord entitlement) => entitlement.GetValue<decimal?>("used") ?? 0m;

    /// <summary>What an entitlement has left.</summary>
    public static decimal Left(CrmRecord entitlement) => (entitlement.GetValue<decimal?>("allowance") ?? 0m) - Used(entitlement);

    /// <summary>True when a case can still be covered: one case left, or any hours.</summary>
    private static bool HasRoom(CrmRecord entitlement) => entitlement.GetValue<string>("unit") == "cases" ? Left(entitlement) >= 1 : Left(entitlement) > 0;
}
