using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Entitlements;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>
/// Finds the SLA policy that covers a case and writes its due times and state into the case's values.
/// A case's clock runs on its policy's calendar, unless an entitlement covers the case and names its
/// support hours (9×5, 24×7): then on those, as the customer's agreement promises.
/// </summary>
internal static class SlaTerms
{
    /// <summary>The SLA fields a case without a policy has: no due times, state none.</summary>
    private static readonly string[] Timed = ["firstResponseWarnAt", "firstResponseDueAt", "resolutionWarnAt", "resolutionDueAt", "nextResponseWarnAt", "nextResponseDueAt"];

    /// <summary>
    /// The SLA fields of a case (its values read through <paramref name="value"/>: priority, receivedAt,
    /// status, the pause, the responses, the entitlement) as of <paramref name="now"/>: the active
    /// policy for its priority (none: no SLA), the due and warning times in business time, and the
    /// state they give. A running next response clock keeps the due time it was given.
    /// </summary>
    public static async Task<FieldValues> ForAsync(IRecordApi records, Func<string, object?> value, DateTime now, CancellationToken cancellationToken)
    {
        var priority = value("priority") as string ?? "normal";
        var policy = (await records.FindAsync(SlaEntities.Policy, Condition.Eq("priority", priority).And(Condition.Eq("active", true)), 1, cancellationToken)).FirstOrNull();
        if (policy is null)
        {
            var none = new FieldValues { ["slaPolicy"] = null, ["slaState"] = SlaStates.None, ["slaCheckedAt"] = now };
            foreach (var field in Timed)
            {
                none[field] = null;
            }

            return none;
        }

        var calendar = await CalendarAsync(records, policy, value, cancellationToken);
        var receivedAt = (DateTime)value("receivedAt")!;
        var due = SlaDueTimes.Of(calendar, TermsOf(policy), receivedAt, value("slaPausedMinutes") as long? ?? 0);
        var values = new FieldValues
        {
            ["slaPolicy"] = policy.Id,
            ["firstResponseWarnAt"] = due.FirstResponseWarnAt,
            ["firstResponseDueAt"] = due.FirstResponseDueAt,
            ["resolutionWarnAt"] = due.ResolutionWarnAt,
            ["resolutionDueAt"] = due.ResolutionDueAt,
            ["slaCheckedAt"] = now,
        };
        values["slaState"] = SlaStates.At(SlaSnapshot.Of(f => values.TryGetValue(f, out var v) ? v : value(f), value("status") as string ?? "new"), now);
        return values;
    }

    /// <summary>The business minutes between two instants on the clock of a case's policy (0 without one).</summary>
    public static async Task<long> PausedMinutesAsync(IRecordApi records, CrmRecord @case, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        await StoredClockAsync(records, @case, cancellationToken) is { } clock ? (long)clock.Calendar.Between(from, to).TotalMinutes : 0;

    /// <summary>
    /// The next response clock a customer's reply at <paramref name="at"/> starts: due the policy's
    /// next response target later in business time, warned at its share; empty when the case's
    /// policy sets no next response target.
    /// </summary>
    public static async Task<FieldValues> NextResponseAsync(IRecordApi records, CrmRecord @case, DateTime at, CancellationToken cancellationToken)
    {
        if (await StoredClockAsync(records, @case, cancellationToken) is not { } clock || clock.Policy.GetValue<long?>("nextResponseMinutes") is not { } minutes)
        {
            return [];
        }

        var warnAt = clock.Policy.GetValue<long?>("warnAtPercent") ?? 80;
        return new FieldValues
        {
            ["nextResponseWarnAt"] = clock.Calendar.Add(at, SlaDueTimes.Share(minutes, warnAt)),
            ["nextResponseDueAt"] = clock.Calendar.Add(at, TimeSpan.FromMinutes(minutes)),
        };
    }

    /// <summary>The policy a case holds and the calendar its clock runs on; null without a policy.</summary>
    private static async Task<(CrmRecord Policy, BusinessCalendar Calendar)?> StoredClockAsync(IRecordApi records, CrmRecord @case, CancellationToken cancellationToken)
    {
        if (@case.GetValue("slaPolicy") is not Guid policyId || await records.GetAsync(SlaEntities.Policy, policyId, cancellationToken) is not { } policy)
        {
            return null;
        }

        return (policy, await CalendarAsync(records, policy, @case.GetValue, cancellationToken));
    }

    /// <summary>The support hours of the entitlement covering the case, else the policy's calendar.</summary>
    private static async Task<BusinessCalendar> CalendarAsync(IRecordApi records, CrmRecord policy, Func<string, object?> value, CancellationToken cancellationToken)
    {
        var calendar = policy.GetValue<Guid>("calendar");
        if (value("entitlementStatus") as string == EntitlementCheck.Covered && value("entitlement") is Guid entitlementId
            && await records.GetAsync(EntitlementEntities.Entitlement, entitlementId, cancellationToken) is { } entitlement
            && entitlement.GetValue("supportHours") is Guid hours)
        {
            calendar = hours;
        }

        return await Calendars.LoadAsync(records, calendar, cancellationToken);
    }

    private static SlaPolicyTerms TermsOf(CrmRecord policy) =>
        new(policy.GetValue<long>("firstResponseMinutes"), policy.GetValue<long>("resolutionMinutes"), policy.GetValue<long?>("warnAtPercent") ?? 80);
}
