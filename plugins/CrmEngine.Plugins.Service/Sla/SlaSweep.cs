using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>
/// Every minute, moves the SLA state of running cases on as their clocks pass the warning share and
/// the due time, and tells the case's owner. It reads only cases whose stored warning or due time has
/// come (the times are indexed), and computes each state from the case's stored times alone.
/// </summary>
internal sealed class SlaSweep : IScheduledJob
{
    public string Name => "sla-sweep";

    public string Cron => "* * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var now = context.ScheduledAt;
        var due = Condition.In("slaState", [SlaStates.Ok, SlaStates.Warning])
            .And(Condition.IsNull("slaPausedAt"))
            .And(Condition.Any(
                Condition.IsNull("firstRespondedAt").And(Condition.Lte("firstResponseWarnAt", now)),
                Condition.Lte("resolutionWarnAt", now),
                Condition.Lte("nextResponseWarnAt", now)));
        var changed = new List<(CrmRecord Case, string State)>();
        await foreach (var @case in context.Records.QueryAllAsync(CaseEntity.Name, due, cancellationToken: cancellationToken))
        {
            var state = SlaStates.At(SlaSnapshot.Of(@case.GetValue, @case.GetValue<string>("status") ?? CaseLifecycle.New), now);
            if (state != @case.GetValue<string>("slaState"))
            {
                changed.Add((@case, state));
            }
        }

        // Written after the read, so the paging of the query doesn't move under its feet.
        foreach (var (@case, state) in changed)
        {
            await Writes.RequireAsync(context.Records.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues { ["slaState"] = state, ["slaCheckedAt"] = now }, cancellationToken: cancellationToken));
            if (@case.OwnerId is { } owner && owner != context.Directory.SystemUserId)
            {
                var number = @case.GetValue<string>("number");
                var message = state == SlaStates.Breached
                    ? $"Case {number} breached its SLA. / 工单 {number} 已超出服务时限。"
                    : $"Case {number} is close to breaching its SLA. / 工单 {number} 即将超出服务时限。";
                await context.Notifications.NotifyAsync(owner, message, CaseEntity.Name, @case.Id, cancellationToken);
            }
        }
    }
}
