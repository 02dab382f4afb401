using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Tenancy;
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
/// Plugin jobs as scheduled work (<see cref="ScheduledWorkService"/> runs them on their cron
/// schedules, under a lease per job and tenant, for every tenant that enables the plugin). A run is
/// claimed by moving the job's last due time with a version check, so each due time runs once even
/// when several schedulers look at the same tenant; runs missed while no host was up collapse into
/// one. A run is marked as running until it ends; one whose host died is run again, for the same
/// due time, by the next holder of the lease (jobs see that time as <c>ScheduledAt</c>, so they can
/// be written to do a due time's work once). A failed run is reported and waits for the next due time.
/// </summary>
public sealed class PluginJobScheduler(
    IEnumerable<IScheduledJob> jobs,
    PluginCatalog catalog,
    JobRunner runner,
    PluginServing serving,
    Lazy<ScheduledWorkService> service,
    IOptions<Engine.CrmEngineOptions> options,
    ILogger<PluginJobScheduler> logger) : IScheduledWork
{
    private readonly Dictionary<string, (IScheduledJob Job, string PluginId, CronExpression Cron)> _jobs = Parse(jobs, catalog, logger);

    public string Kind => "job";

    public TimeSpan? PollInterval => _jobs.Count == 0 || !options.Value.JobsEnabled ? null : options.Value.JobPollInterval;

    /// <summary>The lease a job's runs on a tenant take, scheduled or manual, so one runs at a time.</summary>
    public static string LeaseName(string tenantId, string pluginId, string job) => $"job:{tenantId}:{Item(pluginId, job)}";

    /// <summary>The earliest next due time of any job (cron seconds included), so the scheduler wakes on it.</summary>
    public DateTime? NextDueAfter(DateTime from) =>
        _jobs.Values.Select(j => j.Cron.GetNextOccurrence(DateTime.SpecifyKind(from, DateTimeKind.Utc), TimeZoneInfo.Utc)).Where(d => d is not null).Min();

    /// <summary>A job of a loaded plugin with a valid schedule, by plugin id and job name.</summary>
    public IScheduledJob? Find(string pluginId, string job) => _jobs.TryGetValue(Item(pluginId, job), out var found) ? found.Job : null;

    /// <summary>Runs every job due at <paramref name="now"/> on every tenant; returns how many ran.</summary>
    public Task<int> RunDueAsync(DateTime now, CancellationToken cancellationToken) => service.Value.RunDueAsync(this, now, cancellationToken);

    public Task<IReadOnlyList<string>> CandidatesAsync(TenantStore store, DateTime now, CancellationToken cancellationToken) =>
        // A job whose plugin version and the tenant's metadata differ (an upgrade under way) waits for its next due time.
        Task.FromResult<IReadOnlyList<string>>(_jobs
            .Where(j => store.Metadata.IsPluginEnabled(j.Value.PluginId) && serving.Refusal(store.TenantId, store.Metadata, j.Value.PluginId) is null)
            .Select(j => j.Key).ToList());

    /// <summary>
    /// The due time to run for, after claiming it: a run left unfinished, else the latest due one;
    /// null when nothing is due or another scheduler claimed it.
    /// </summary>
    public async Task<ScheduledRun?> ClaimAsync(TenantStore store, string item, DateTime now, CancellationToken cancellationToken)
    {
        var (job, pluginId, cron) = _jobs[item];
        await using var context = store.CreateContext();
        var row = await context.Set<PluginJobRow>().AsTracking().SingleOrDefaultAsync(r => r.PluginId == pluginId && r.Job == job.Name, cancellationToken);
        try
        {
            if (row is null)
            {
                // First sighting: the schedule starts now, instead of replaying history.
                context.Set<PluginJobRow>().Add(new PluginJobRow { PluginId = pluginId, Job = job.Name, LastDueAt = now });
                await context.SaveChangesAsync(cancellationToken);
                return null;
            }

            if (row.RunningDueAt is { } unfinished)
            {
                return new ScheduledRun(item, 0, DateTime.SpecifyKind(unfinished, DateTimeKind.Utc), Resumed: true);
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
            return new ScheduledRun(item, 0, due, Resumed: false);
        }
        catch (DbUpdateException)
        {
            return null;
        }
    }

    /// <summary>Runs the job for its due time; a failure is reported, and the run is over either way.</summary>
    public async Task<bool> RunAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken)
    {
        var (job, pluginId, _) = _jobs[run.Item];
        await runner.RunAsync(store, pluginId, job, JobTrigger.Schedule, run.Due, cancellationToken);
        return true;
    }

    /// <summary>Marks a run as over, whether the job succeeded or failed (a failed run is logged and waits for the next due time).</summary>
    public async Task FinishAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken)
    {
        var (job, pluginId, _) = _jobs[run.Item];
        await using var context = store.CreateContext();
        await context.Set<PluginJobRow>().Where(r => r.PluginId == pluginId && r.Job == job.Name && r.RunningDueAt == run.Due)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RunningDueAt, (DateTime?)null), cancellationToken);
    }

    private static Dictionary<string, (IScheduledJob, string, CronExpression)> Parse(IEnumerable<IScheduledJob> jobs, PluginCatalog catalog, ILogger logger)
    {
        var parsed = new Dictionary<string, (IScheduledJob, string, CronExpression)>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (catalog.PluginOf(job.GetType()) is not { } pluginId)
            {
                continue;
            }

            try
            {
                var format = job.Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
                parsed[Item(pluginId, job.Name)] = (job, pluginId, CronExpression.Parse(job.Cron, format));
            }
            catch (CronFormatException e)
            {
                logger.LogError("Job {Job} of plugin {Plugin} has an invalid cron expression '{Cron}' and will not run: {Message}", job.Name, pluginId, job.Cron, e.Message);
            }
        }

        return parsed;
    }

    private static string Item(string pluginId, string job) => $"{pluginId}:{job}";
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
