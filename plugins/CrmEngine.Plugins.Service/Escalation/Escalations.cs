using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;

namespace CrmEngine.Plugins.Service.Escalation;

/// <summary>
/// What an escalation does, by hand (<c>escalateServiceCase</c>) or by a rule: the case is marked
/// escalated with its reason, one priority higher (the new priority's SLA targets apply), possibly
/// handed to a team lead, and the escalation is logged on the case (<c>escalations</c>).
/// </summary>
internal static class Escalations
{
    private static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    /// <summary>Escalates <paramref name="case"/> (written with the case's own rules bypassed, as the module); the log entry names <paramref name="rule"/> when a rule did it.</summary>
    public static async Task EscalateAsync(IRecordApi records, CrmRecord @case, string reason, Guid? to, bool raisePriority, Guid? rule, DateTime now, CancellationToken cancellationToken, FieldValues? extra = null)
    {
        var before = @case.GetValue<string>("priority") ?? "normal";
        var after = raisePriority ? Priorities[Math.Min(Array.IndexOf(Priorities, before) + 1, Priorities.Length - 1)] : before;
        var values = new FieldValues(extra ?? []) { ["escalated"] = true, ["escalatedAt"] = now, ["escalationReason"] = reason, ["priority"] = after };
        if (to is { } owner)
        {
            values["ownerId"] = owner;
        }

        values = await CaseLifecycle.WithClockAsync(records, @case, values, now, cancellationToken);
        await Writes.RequireAsync(records.UpdateAsync(CaseEntity.Name, @case.Id, values, cancellationToken: cancellationToken));
        await Writes.RequireAsync(records.CreateAsync(EscalationEntities.Record, new FieldValues
        {
            ["case"] = @case.Id, ["rule"] = rule, ["reason"] = reason, ["at"] = now, ["priorityBefore"] = before, ["priorityAfter"] = after,
        }, cancellationToken));
    }
}
