using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Jobs;
using Cronos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.PluginHost.Jobs;

/// <summary>
/// Runs plugin jobs on their cron schedules for every tenant that enables the plugin. A job is
/// worked on under a lease (<see cref="IWorkLeases"/>: one host at a time), and a run is claimed by
/// moving the job's last due time with a version check, so each due time runs once even when
/// several schedulers look at the same tenant; runs missed while no host was up collapse into one.
/// A run is marked as running until it ends; one whose host died is run again, for the same due
/// time, by the next holder of the lease (jobs see that time as <c>ScheduledAt</c>, so they can be
/// written to do a due time's work once).
/// </summary>
public sealed class PluginJobScheduler(
    IEnumerable<IScheduledJob> jobs,
    PluginCatalog catalog,
    TenantCatalog tenants,
    TenantRegistry registry,
    RecordApiFactory records,
    IWorkLeases leases,
    PluginFailures failures,
    IOptions<Engine.CrmEngineOptions> options,
    ILogger<PluginJobScheduler> logger) : BackgroundService
{
    private readonly List<(IScheduledJob Job, string PluginId, CronExpression Cron)> _jobs = Parse(jobs, catalog, logger);

    /// <summary>Runs every job due at <paramref name="now"/> on every tenant; returns how many ran.</summary>
    public async Task<int> RunDueAsync(DateTime now, CancellationToken cancellationToken)
    {
        var ran = 0;
        if (_jobs.Count == 0)
        {
            return ran;
        }

        foreach (var tenant in await tenants.ListTenantsAsync(cancellationToken))
        {
            var store = await registry.GetAsync(tenant.Id, cancellationToken);
            foreach (var (job, pluginId, cron) in _jobs.Where(j => store.Metadata.IsPluginEnabled(j.PluginId)))
            {
                await using var lease = await leases.TryAcquireAsync($"job:{tenant.Id}:{pluginId}:{job.Name}", cancellationToken);
                if (lease is not null && await ClaimAsync(store, pluginId, job.Name, cron, now, cancellationToken) is { } due)
                {
                    ran++;
                    await RunAsync(store, job, pluginId, due, cancellationToken);
                    await FinishAsync(store, pluginId, job.Name, due, cancellationToken);
                }
            }
        }

        return ran;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(Engine.Clock.UtcNow(), stoppingToken);
                await Task.Delay(options.Value.JobPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The plugin job scheduler failed a pass; it will try again.");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    /// <summary>
    /// The due time to run for, after claiming it: a run left unfinished, else the latest due one;
    /// null when nothing is due or another scheduler claimed it.
    /// </summary>
    private static async Task<DateTime?> ClaimAsync(TenantStore store, string pluginId, string job, CronExpression cron, DateTime now, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var row = await context.Set<PluginJobRow>().AsTracking().SingleOrDefaultAsync(r => r.PluginId == pluginId && r.Job == job, cancellationToken);
        try
        {
            if (row is null)
            {
                // First sighting: the schedule starts now, instead of replaying history.
                context.Set<PluginJobRow>().Add(new PluginJobRow { PluginId = pluginId, Job = job, LastDueAt = now });
                await context.SaveChangesAsync(cancellationToken);
                return null;
            }

            if (row.RunningDueAt is { } unfinished)
            {
                return DateTime.SpecifyKind(unfinished, DateTimeKind.Utc);
            }

            var last = DateTime.SpecifyKind(row.LastDueAt, DateTimeKind.Utc);
            var due = cron.GetOccurrences(last, now, TimeZoneInfo.Utc, fromInclusive: false, toInclusive: true).LastOrDefault();
            if (due == default)
            {
                return null;
            }

            row.LastDueAt = due;
            row.RunningDueAt = due;
            await context.SaveChangesAsync(cancellationToken);
            return due;
        }
        catch (DbUpdateException)
        {
            return null;
        }
    }

    /// <summary>Marks a run as over, whether the job succeeded or failed (a failed run is logged and waits for the next due time).</summary>
    private static async Task FinishAsync(TenantStore store, string pluginId, string job, DateTime due, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        await context.Set<PluginJobRow>().Where(r => r.PluginId == pluginId && r.Job == job && r.RunningDueAt == due)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RunningDueAt, (DateTime?)null), cancellationToken);
    }

    private async Task RunAsync(TenantStore store, IScheduledJob job, string pluginId, DateTime due, CancellationToken cancellationToken)
    {
        var session = new CrmSession(store, CrmPrincipal.System(store.TenantId));
        try
        {
            await job.RunAsync(new JobContext(SdkMapping.ToSdk(session.Principal), records.For(session), due, records.Directory(session), records.Notifier(session)), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failures.Report(pluginId, $"in its job {job.Name} for {due:o}", store.TenantId, e, "It runs again at its next due time.");
        }
    }

    private static List<(IScheduledJob, string, CronExpression)> Parse(IEnumerable<IScheduledJob> jobs, PluginCatalog catalog, ILogger logger)
    {
        var parsed = new List<(IScheduledJob, string, CronExpression)>();
        foreach (var job in jobs)
        {
            if (catalog.PluginOf(job.GetType()) is not { } pluginId)
            {
                continue;
            }

            try
            {
                var format = job.Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
                parsed.Add((job, pluginId, CronExpression.Parse(job.Cron, format)));
            }
            catch (CronFormatException e)
            {
                logger.LogError("Job {Job} of plugin {Plugin} has an invalid cron expression '{Cron}' and will not run: {Message}", job.Name, pluginId, job.Cron, e.Message);
            }
        }

        return parsed;
    }

    private sealed record JobContext(Sdk.Identity.ICrmIdentity Identity, Sdk.Records.IRecordApi Records, DateTime ScheduledAt, Sdk.Identity.IUserDirectory Directory, Sdk.Notifications.INotifier Notifications) : IJobContext;
}

/// <summary>
/// At start-up, re-applies the metadata of plugins whose installed version differs from the one a
/// tenant enabled, so upgrades reach every tenant (never replacing tenants' own fields).
/// </summary>
internal sealed class PluginUpgrader(PluginCatalog catalog, PluginEnabler enabler, TenantCatalog tenants, TenantRegistry registry, ILogger<PluginUpgrader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var tenant in await tenants.ListTenantsAsync(stoppingToken))
        {
            var store = await registry.GetAsync(tenant.Id, stoppingToken);
            foreach (var enabled in store.Metadata.Plugins)
            {
                if (catalog.Find(enabled.Id) is { Status: PluginStatus.Loaded } plugin && plugin.Manifest!.Version.ToNormalizedString() != enabled.Version)
                {
                    try
                    {
                        await enabler.EnableAsync(store, enabled.Id, null, stoppingToken);
                        logger.LogInformation("Upgraded plugin {Plugin} on tenant {Tenant} from {From} to {To}.", enabled.Id, tenant.Id, enabled.Version, plugin.Manifest.Version.ToNormalizedString());
                    }
                    catch (Engine.Errors.CrmException e)
                    {
                        logger.LogError("Upgrading plugin {Plugin} on tenant {Tenant} was refused: {Reason}", enabled.Id, tenant.Id, e.Message);
                    }
                }
            }
        }
    }
}
