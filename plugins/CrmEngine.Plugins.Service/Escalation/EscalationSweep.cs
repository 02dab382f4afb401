using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Routing;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Escalation;

/// <summary>
/// Every minute, applies the active escalation rules: a case still new or open that has waited
/// unassigned (no agent assigned since it was received) or unanswered (no answer since the customer
/// last wrote) for the rule's minutes, in calendar time, is escalated with the rule's reason, handed
/// to the rule's team lead and raised a priority. Each rule escalates a case once: the log on the
/// case says which rules have, and the query leaves those cases out.
/// </summary>
internal sealed class EscalationSweep : IScheduledJob
{
    private static readonly object?[] Waiting = [CaseLifecycle.New, CaseLifecycle.Open];

    public string Name => "escalation-sweep";

    public string Cron => "* * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var now = context.ScheduledAt;
        var rules = new List<CrmRecord>();
        await foreach (var rule in context.Records.QueryAllAsync(EscalationEntities.Rule, Condition.Eq("active", true), cancellationToken: cancellationToken))
        {
            rules.Add(rule);
        }

        foreach (var rule in rules.OrderBy(r => r.GetValue<long>("minutes")).ThenBy(r => r.CreatedAt))
        {
            // Read first, written after, so the paging of the query doesn't move under its feet.
            var due = new List<CrmRecord>();
            await foreach (var @case in context.Records.QueryAllAsync(CaseEntity.Name, Due(rule, now), cancellationToken: cancellationToken))
            {
                due.Add(@case);
            }

            var lead = rule.GetValue("escalateTo") is Guid agentId ? await context.Records.GetAsync(RoutingEntities.Agent, agentId, cancellationToken) : null;
            foreach (var @case in due)
            {
                await EscalateAsync(context, rule, lead, @case, now, cancellationToken);
            }
        }
    }

    /// <summary>The cases <paramref name="rule"/> escalates at <paramref name="now"/>.</summary>
    private static Condition Due(CrmRecord rule, DateTime now)
    {
        var since = now.AddMinutes(-rule.GetValue<long>("minutes"));
        var waited = rule.GetValue<string>("trigger") == EscalationEntities.Unassigned
            ? Condition.IsNull("assignedAt").And(Condition.Lte("receivedAt", since))
            : Condition.Lte("awaitingResponseSince", since);
        var due = Condition.All(
            Condition.In("status", Waiting),
            waited,
            Condition.Related(EscalationEntities.Record, "case", RelatedMatch.None, Condition.Eq("rule", rule.Id)));
        if (rule.GetValue<IReadOnlyList<string>>("priorities") is { Count: > 0 } priorities)
        {
            due = due.And(Condition.In("priority", priorities));
        }

        return rule.GetValue("queue") is Guid queue ? due.And(Condition.Eq("queue", queue)) : due;
    }

    private static async Task EscalateAsync(IJobContext context, CrmRecord rule, CrmRecord? lead, CrmRecord @case, DateTime now, CancellationToken cancellationToken)
    {
        var minutes = rule.GetValue<long>("minutes");
        var reason = rule.GetValue<string>("trigger") == EscalationEntities.Unassigned
            ? $"{rule.GetValue<string>("name")}: unassigned for {minutes} minutes / 超过 {minutes} 分钟未分配"
            : $"{rule.GetValue<string>("name")}: unanswered for {minutes} minutes / 超过 {minutes} 分钟未答复";

        // Handed to the lead, the case is assigned: an unassigned rule has nothing more to do with it.
        var to = lead?.OwnerId;
        var handover = to is null ? null : new FieldValues { ["assignedAt"] = now, ["assignmentReason"] = $"Escalated to {lead!.GetValue<string>("name")} by rule {rule.GetValue<string>("name")}. / 按规则“{rule.GetValue<string>("name")}”升级给 {lead.GetValue<string>("name")}。" };
        await Escalations.EscalateAsync(context.Records, @case, reason, to, rule.GetValue<bool?>("raisePriority") != false, rule.Id, now, cancellationToken, handover);
        var number = @case.GetValue<string>("number");
        foreach (var user in new[] { to, @case.OwnerId }.OfType<Guid>().Distinct().Where(u => u != context.Directory.SystemUserId))
        {
            await context.Notifications.NotifyAsync(user, $"Case {number} was escalated: {reason}. / 工单 {number} 已升级。", CaseEntity.Name, @case.Id, cancellationToken);
        }
    }
}

/// <summary>The escalation log is written by escalations alone: a client can't add, change or remove an entry.</summary>
internal sealed class EscalationLogKept : IBeforeRecordHook
{
    public string Entity => EscalationEntities.Record;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) =>
        record.IsDirect
            ? throw new OperationException(ServiceErrors.StatusByOperation, "A case's escalations are logged by escalateServiceCase and the escalation rules.", "case")
            : Task.CompletedTask;
}
