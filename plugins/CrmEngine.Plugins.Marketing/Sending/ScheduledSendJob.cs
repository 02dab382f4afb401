using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Marketing.Sending;

/// <summary>
/// Every minute, runs the scheduled sends that are due (<c>sendAt</c> at or before the run's time):
/// each moves from scheduled to sent at the version it was read at, which runs the send in the same
/// transaction (<see cref="ScheduledSendHooks"/>). One that another host or an earlier run moved first
/// fails on its version and is left alone, so every booked send runs once.
/// </summary>
internal sealed class ScheduledSendJob : IScheduledJob
{
    public string Name => "scheduled-send";

    public string Cron => "* * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var due = new List<CrmRecord>();
        await foreach (var send in context.Records.QueryAllAsync(ScheduledSendEntity.Name, Condition.Eq("status", "scheduled").And(Condition.Lte("sendAt", context.ScheduledAt)), cancellationToken: cancellationToken))
        {
            due.Add(send);
        }

        foreach (var send in due.OrderBy(s => s.GetValue<DateTime>("sendAt")))
        {
            await context.Records.UpdateAsync(ScheduledSendEntity.Name, send.Id, new FieldValues { ["status"] = "sent", ["ranAt"] = context.ScheduledAt }, send.Version, cancellationToken);
        }
    }
}
