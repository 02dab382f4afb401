using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary>
/// The case lifecycle new → open → pending customer / on hold → resolved → closed, and what each move
/// does to the SLA clock: waiting for the customer and being resolved stop it (asking the customer
/// counts as a response), going back to work starts it again with the resolution target moved on by
/// the business time it stood still.
/// </summary>
internal static class CaseLifecycle
{
    public const string New = "new";
    public const string Open = "open";
    public const string PendingCustomer = "pendingCustomer";
    public const string OnHold = "onHold";
    public const string Resolved = "resolved";
    public const string Closed = "closed";

    private static readonly Dictionary<string, string[]> Moves = new()
    {
        [New] = [Open, OnHold, Resolved],
        [Open] = [PendingCustomer, OnHold, Resolved],
        [PendingCustomer] = [Open, OnHold, Resolved],
        [OnHold] = [Open, PendingCustomer, Resolved],
        [Resolved] = [Open, Closed],
        [Closed] = [],
    };

    public static IReadOnlyCollection<string> Statuses => Moves.Keys;

    /// <summary>Complaints and disputes (投诉、纠纷) are escalated before anyone may resolve them.</summary>
    public static bool NeedsEscalation(CrmRecord @case) => @case.GetValue<string>("category") is "complaint" or "dispute";

    private static bool ClockStopped(string status) => status is PendingCustomer or Resolved or Closed;

    /// <summary>The values that move <paramref name="case"/> to <paramref name="to"/> at <paramref name="now"/>; refused when the lifecycle doesn't allow it.</summary>
    public static async Task<FieldValues> MoveAsync(IRecordApi records, CrmRecord @case, string to, DateTime now, string? resolution, CancellationToken cancellationToken)
    {
        var from = @case.GetValue<string>("status") ?? New;
        if (from == Closed)
        {
            throw new OperationException(ServiceErrors.CaseClosed, $"Case {@case.GetValue<string>("number")} is closed.", "id");
        }

        if (!Moves[from].Contains(to))
        {
            throw new OperationException(ServiceErrors.InvalidTransition, $"Case {@case.GetValue<string>("number")} can't move from {from} to {to}; from {from} it can go to {string.Join(", ", Moves[from])}.", "status");
        }

        var values = new FieldValues { ["status"] = to };
        if (to == Resolved)
        {
            if (string.IsNullOrWhiteSpace(resolution))
            {
                throw new OperationException(ServiceErrors.ResolutionRequired, "Say how the case was resolved.", "resolution");
            }

            if (NeedsEscalation(@case) && @case.GetValue<bool?>("escalated") != true)
            {
                throw new OperationException(ServiceErrors.EscalationRequired, $"Case {@case.GetValue<string>("number")} is a {@case.GetValue<string>("category")}: escalate it before resolving it.", "status");
            }

            values["resolution"] = resolution.Trim();
            values["resolvedAt"] = now;
        }

        if (from == Resolved && to == Open)
        {
            values["resolvedAt"] = null;
            values["reopenCount"] = (@case.GetValue<long?>("reopenCount") ?? 0) + 1;
        }

        if (to == Closed)
        {
            values["closedAt"] = now;
        }

        if (to is PendingCustomer or Resolved && @case.GetValue("firstRespondedAt") is null)
        {
            values["firstRespondedAt"] = now;
        }

        if (to is PendingCustomer or Resolved)
        {
            Answered(@case, values, now);
        }

        return await WithClockAsync(records, @case, values, now, cancellationToken);
    }

    /// <summary>
    /// Adds to <paramref name="values"/> what an agent's answer at <paramref name="now"/> (a response,
    /// asking the customer, a resolution) writes: the customer no longer waits, and a running next
    /// response clock stops, counted in <c>nextResponseBreaches</c> when it ran out first.
    /// </summary>
    public static void Answered(CrmRecord @case, FieldValues values, DateTime now)
    {
        values["awaitingResponseSince"] = null;
        if (@case.GetValue<DateTime?>("nextResponseDueAt") is { } due)
        {
            if (now > due)
            {
                values["nextResponseBreaches"] = (@case.GetValue<long?>("nextResponseBreaches") ?? 0) + 1;
            }

            values["nextResponseWarnAt"] = null;
            values["nextResponseDueAt"] = null;
        }
    }

    /// <summary>
    /// <paramref name="values"/> with the SLA fields they imply at <paramref name="now"/>: the clock
    /// stopped or started by a status change, the targets of the (possibly new) priority, the state.
    /// </summary>
    public static async Task<FieldValues> WithClockAsync(IRecordApi records, CrmRecord @case, FieldValues values, DateTime now, CancellationToken cancellationToken)
    {
        string Value(string field) => (values.TryGetValue(field, out var v) ? v : @case.GetValue(field)) as string ?? string.Empty;
        var status = Value("status");
        var pausedAt = @case.GetValue<DateTime?>("slaPausedAt");
        var pausedMinutes = @case.GetValue<long?>("slaPausedMinutes") ?? 0;
        if (ClockStopped(status) && pausedAt is null)
        {
            pausedAt = now;
        }
        else if (!ClockStopped(status) && pausedAt is { } since)
        {
            pausedMinutes += await SlaTerms.PausedMinutesAsync(records, @case, since, now, cancellationToken);
            pausedAt = null;
        }

        var result = new FieldValues(values) { ["slaPausedAt"] = pausedAt, ["slaPausedMinutes"] = pausedMinutes };
        object? Current(string field) => result.TryGetValue(field, out var v) ? v : field == "receivedAt" ? @case.GetValue<DateTime?>("receivedAt") ?? @case.CreatedAt : @case.GetValue(field);
        foreach (var (field, value) in await SlaTerms.ForAsync(records, Current, now, cancellationToken))
        {
            result[field] = value;
        }

        return result;
    }
}
