using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>
/// Every minute, moves the SLA state of running cases on as their clocks pass the warning share and
/// the due time, and tells the case's owner. It reads only cases whose state can move now (one
/// within target whose warning time has come, one already warned whose due time has come), and
/// computes each state from the case's stored times alone; only cases whose state changed are written.
/// </summary>
internal sealed class SlaSweep : IScheduledJob
{
    /// <summary>
    /// How many of the changed cases are written at once: each is its own write through the record
    /// pipeline, and writes waiting together share a commit (SQLite) or use several connections.
    /// </summary>
    private const int WritesAtOnce = 8;

    public string Name => "sla-sweep";

    public string Cron => "* * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var now = context.ScheduledAt;
        var changed = new List<(CrmRecord Case, string State)>();
        await foreach (var @case in context.Records.QueryAllAsync(CaseEntity.Name, Movable(now), cancellationToken: cancellationToken))
        {
            var state = SlaStates.At(SlaSnapshot.Of(@case.GetValue, @case.GetValue<string>("status") ?? CaseLifecycle.New), now);
            if (state != @case.GetValue<string>("slaState"))
            {
                changed.Add((@case, state));
            }
        }

        // Written after the read, so the paging of the query doesn't move under its feet.
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = WritesAtOnce, CancellationToken = cancellationToken }, async (item, token) =>
        {
            var (@case, state) = item;
            await Writes.RequireAsync(context.Records.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues { ["slaState"] = state, ["slaCheckedAt"] = now }, cancellationToken: token));
            if (@case.OwnerId is { } owner && owner != context.Directory.SystemUserId)
            {
                var number = @case.GetValue<string>("number");
                var message = state == SlaStates.Breached
                    ? $"Case {number} breached its SLA. / 工单 {number} 已超出服务时限。"
                    : $"Case {number} is close to breaching its SLA. / 工单 {number} 即将超出服务时限。";
                await context.Notifications.NotifyAsync(owner, message, CaseEntity.Name, @case.Id, token);
            }
        });
    }

    /// <summary>
    /// Running cases (not paused) whose state can move at <paramref name="now"/>: within target with a
    /// warning time come (it warns, or breaches if its due time came too), or warned with a due time
    /// come or a late next response counted (it breaches). A warned case still short of its due times
    /// stays warned, so it is not read again every minute until then.
    /// </summary>
    internal static Condition Movable(DateTime now) =>
        Condition.IsNull("slaPausedAt").And(Condition.Any(
            Condition.Eq("slaState", SlaStates.Ok).And(Condition.Any(
                Condition.IsNull("firstRespondedAt").And(Condition.Lte("firstResponseWarnAt", now)),
                Condition.Lte("resolutionWarnAt", now),
                Condition.Lte("nextResponseWarnAt", now))),
            Condition.Eq("slaState", SlaStates.Warning).And(Condition.Any(
                Condition.IsNull("firstRespondedAt").And(Condition.Lte("firstResponseDueAt", now)),
                Condition.Lte("resolutionDueAt", now),
                Condition.Lte("nextResponseDueAt", now),
                Condition.Gt("nextResponseBreaches", 0L)))));
}
