using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Reports.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Reports.Subscriptions;

/// <summary>
/// Report subscriptions as scheduled work (<see cref="ScheduledWorkService"/> looks for due ones every
/// <c>Crm:JobPollInterval</c>, under a lease per subscription and tenant). A run is claimed by moving
/// the subscription's next run time past now with a conditional update (only if it still holds the
/// due time read), and marking the due time as running, so each due time is delivered once however
/// many hosts look; deliveries missed while no host was up collapse into one. A run whose host died
/// before it ended is run again by the next holder of the lease.
/// </summary>
public sealed class ReportDeliveryScheduler(ReportDelivery delivery, Lazy<ScheduledWorkService> service, IOptions<CrmEngineOptions> options) : IScheduledWork
{
    private const string Due = "next_run_at <= @now OR running_due_at IS NOT NULL";

    public string Kind => "report-delivery";

    public TimeSpan? PollInterval => options.Value.JobsEnabled ? options.Value.JobPollInterval : null;

    public DateTime? NextDueAfter(DateTime from) => null;

    /// <summary>Delivers every subscription due at <paramref name="now"/> in one tenant; returns how many ran.</summary>
    public Task<int> RunDueAsync(string tenantId, DateTime now, CancellationToken cancellationToken) => service.Value.RunDueAsync(this, tenantId, now, cancellationToken);

    public DueWorkProbe DueProbe(DateTime now) => DueWorkProbe.Rows(ReportTables.SubscriptionTable, Due, now);

    public async Task<IReadOnlyList<string>> CandidatesAsync(TenantStore store, DateTime now, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var ids = await context.Set<ReportSubscriptionRow>().Where(s => s.NextRunAt <= now || s.RunningDueAt != null)
            .OrderBy(s => s.NextRunAt).Select(s => s.Id).ToListAsync(cancellationToken);
        return ids.Select(id => id.ToString()).ToList();
    }

    public async Task<ScheduledRun?> ClaimAsync(TenantStore store, string item, DateTime now, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(item);
        await using var context = store.CreateContext();
        var row = await context.Set<ReportSubscriptionRow>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.RunningDueAt is { } unfinished)
        {
            return new ScheduledRun(item, 0, DateTime.SpecifyKind(unfinished, DateTimeKind.Utc), Resumed: true);
        }

        if (!row.Active || row.NextRunAt is not { } next || next > now)
        {
            return null;
        }

        // The next delivery after now, not after the missed one: a host down for days delivers once.
        var following = DeliverySchedule.Read(row.Schedule).Next(now);
        var claimed = await context.Set<ReportSubscriptionRow>().Where(s => s.Id == id && s.NextRunAt == next && s.RunningDueAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextRunAt, following).SetProperty(r => r.RunningDueAt, next), cancellationToken);
        return claimed == 1 ? new ScheduledRun(item, 0, DateTime.SpecifyKind(next, DateTimeKind.Utc), Resumed: false) : null;
    }

    public async Task<bool> RunAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken)
    {
        await delivery.DeliverAsync(store, Guid.Parse(run.Item), run.Due, cancellationToken);
        return true;
    }

    public async Task FinishAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(run.Item);
        await using var context = store.CreateContext();
        await context.Set<ReportSubscriptionRow>().Where(s => s.Id == id && s.RunningDueAt == run.Due)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RunningDueAt, (DateTime?)null), cancellationToken);
    }
}
