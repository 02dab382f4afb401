namespace CrmEngine.Plugins.Service.Sla;

/// <summary>A policy's targets in business minutes, and the share of a target at which a case is warned about.</summary>
internal sealed record SlaPolicyTerms(long FirstResponseMinutes, long ResolutionMinutes, long WarnAtPercent);

/// <summary>When a case's targets fall due, and when each turns to a warning.</summary>
internal sealed record SlaDueTimes(DateTime FirstResponseWarnAt, DateTime FirstResponseDueAt, DateTime ResolutionWarnAt, DateTime ResolutionDueAt)
{
    /// <summary>
    /// The due times of a case received at <paramref name="receivedAt"/>: each target counted in the
    /// calendar's business time; the resolution target moved on by the business time the case spent
    /// paused (pending the customer, or resolved before it was reopened).
    /// </summary>
    public static SlaDueTimes Of(BusinessCalendar calendar, SlaPolicyTerms terms, DateTime receivedAt, long pausedMinutes)
    {
        var resolution = terms.ResolutionMinutes + pausedMinutes;
        return new(
            calendar.Add(receivedAt, Share(terms.FirstResponseMinutes, terms.WarnAtPercent)),
            calendar.Add(receivedAt, TimeSpan.FromMinutes(terms.FirstResponseMinutes)),
            calendar.Add(receivedAt, Share(terms.ResolutionMinutes, terms.WarnAtPercent) + TimeSpan.FromMinutes(pausedMinutes)),
            calendar.Add(receivedAt, TimeSpan.FromMinutes(resolution)));
    }

    /// <summary>A percentage of a target, to the tick (80 % of 4 h is 3 h 12 min).</summary>
    public static TimeSpan Share(long minutes, long percent) => TimeSpan.FromTicks(minutes * TimeSpan.TicksPerMinute * percent / 100);
}

/// <summary>The SLA states a case can be in (the <c>slaState</c> picklist's values).</summary>
internal static class SlaStates
{
    public const string None = "none";
    public const string Ok = "ok";
    public const string Warning = "warning";
    public const string Paused = "paused";
    public const string Breached = "breached";
    public const string Met = "met";

    /// <summary>
    /// A case's SLA state at <paramref name="now"/>, from its stored times alone (so a sweep over many
    /// cases needs no calendar): a breach of either target wins; a finished case met its targets; a
    /// paused one is paused; a running target past its warning share warns.
    /// </summary>
    public static string At(SlaSnapshot sla, DateTime now)
    {
        if (sla.FirstResponseDueAt is not { } firstDue || sla.ResolutionDueAt is not { } resolutionDue)
        {
            return None;
        }

        // A running clock breaches at its due time; one stopped (a response, a pause) breached if it stopped later.
        // A next response answered late stays counted (nextResponseBreaches), so the breach outlives its clock.
        var responded = sla.FirstRespondedAt;
        var firstBreached = responded is { } at ? at > firstDue : now >= firstDue;
        var resolutionBreached = sla.PausedAt is { } paused ? paused > resolutionDue : now >= resolutionDue;
        var nextBreached = sla.NextResponseBreaches > 0 || (sla.NextResponseDueAt is { } nextDue && (sla.PausedAt is { } p ? p > nextDue : now >= nextDue));
        if (firstBreached || resolutionBreached || nextBreached)
        {
            return Breached;
        }

        if (sla.Finished)
        {
            return Met;
        }

        if (sla.PausedAt is not null)
        {
            return Paused;
        }

        return (responded is null && now >= sla.FirstResponseWarnAt) || now >= sla.ResolutionWarnAt || now >= sla.NextResponseWarnAt ? Warning : Ok;
    }
}

/// <summary>The SLA fields of a case, as stored (a running next response clock has its warning and due times).</summary>
internal sealed record SlaSnapshot(
    DateTime? FirstResponseWarnAt,
    DateTime? FirstResponseDueAt,
    DateTime? FirstRespondedAt,
    DateTime? ResolutionWarnAt,
    DateTime? ResolutionDueAt,
    DateTime? PausedAt,
    bool Finished,
    DateTime? NextResponseWarnAt = null,
    DateTime? NextResponseDueAt = null,
    long NextResponseBreaches = 0)
{
    public static SlaSnapshot Of(Func<string, object?> value, string status) => new(
        value("firstResponseWarnAt") as DateTime?,
        value("firstResponseDueAt") as DateTime?,
        value("firstRespondedAt") as DateTime?,
        value("resolutionWarnAt") as DateTime?,
        value("resolutionDueAt") as DateTime?,
        value("slaPausedAt") as DateTime?,
        status is "resolved" or "closed",
        value("nextResponseWarnAt") as DateTime?,
        value("nextResponseDueAt") as DateTime?,
        value("nextResponseBreaches") as long? ?? 0);
}
