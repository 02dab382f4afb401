using CrmEngine.Plugins.Service.Common;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>Finds the SLA policy that covers a case and writes its due times and state into the case's values.</summary>
internal static class SlaTerms
{
    /// <summary>
    /// The SLA fields of a case of <paramref name="priority"/> received at <paramref name="receivedAt"/>,
    /// as of <paramref name="now"/>: the active policy for the priority (none: no SLA), the due and
    /// warning times in its calendar's business time, and the state they give.
    /// </summary>
    public static async Task<FieldValues> ForAsync(IRecordApi records, string priority, DateTime receivedAt, long pausedMinutes, DateTime? pausedAt, DateTime? firstRespondedAt, bool finished, DateTime now, CancellationToken cancellationToken)
    {
        var policy = (await records.FindAsync(SlaEntities.Policy, Condition.Eq("priority", priority).And(Condition.Eq("active", true)), 1, cancellationToken)).FirstOrNull();
        if (policy is null)
        {
            return new FieldValues
            {
                ["slaPolicy"] = null, ["firstResponseWarnAt"] = null, ["firstResponseDueAt"] = null, ["resolutionWarnAt"] = null,
                ["resolutionDueAt"] = null, ["slaState"] = SlaStates.None, ["slaCheckedAt"] = now,
            };
        }

        var calendar = await Calendars.LoadAsync(records, policy.GetValue<Guid>("calendar"), cancellationToken);
        var due = SlaDueTimes.Of(calendar, TermsOf(policy), receivedAt, pausedMinutes);
        var snapshot = new SlaSnapshot(due.FirstResponseWarnAt, due.FirstResponseDueAt, firstRespondedAt, due.ResolutionWarnAt, due.ResolutionDueAt, pausedAt, finished);
        return new FieldValues
        {
            ["slaPolicy"] = policy.Id,
            ["firstResponseWarnAt"] = due.FirstResponseWarnAt,
            ["firstResponseDueAt"] = due.FirstResponseDueAt,
            ["resolutionWarnAt"] = due.ResolutionWarnAt,
            ["resolutionDueAt"] = due.ResolutionDueAt,
            ["slaState"] = SlaStates.At(snapshot, now),
            ["slaCheckedAt"] = now,
        };
    }

    /// <summary>The business minutes between two instants in the calendar of a case's policy (0 without one).</summary>
    public static async Task<long> PausedMinutesAsync(IRecordApi records, CrmRecord @case, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        if (@case.GetValue("slaPolicy") is not Guid policyId || await records.GetAsync(SlaEntities.Policy, policyId, cancellationToken) is not { } policy)
        {
            return 0;
        }

        var calendar = await Calendars.LoadAsync(records, policy.GetValue<Guid>("calendar"), cancellationToken);
        return (long)calendar.Between(from, to).TotalMinutes;
    }

    private static SlaPolicyTerms TermsOf(CrmRecord policy) =>
        new(policy.GetValue<long>("firstResponseMinutes"), policy.GetValue<long>("resolutionMinutes"), policy.GetValue<long?>("warnAtPercent") ?? 80);
}
