using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Jobs;
using Cronos;
using Microsoft.EntityFrameworkCore;
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
    PluginCatalog catalog,
    JobRunner runner,
    PluginServing serving,
    Lazy<ScheduledWorkService> service,
    IOptions<Engine.CrmEngineOptions> options,
    ILogger<PluginJobScheduler> logger) : IScheduledWork
{
    /// <summary>The loaded plugins' jobs with valid schedules, by item; a reload replaces them.</summary>
    private Dictionary<string, (IScheduledJob Job, string PluginId, CronExpression Cron)> Jobs => catalog.Derived(typeof(PluginJobScheduler), c => Parse(c, logger));

    public string Kind => "job";

    // Polls even without jobs now: a reload may bring some.
    public TimeSpan? PollInterval => options.Value.JobsEnabled ? options.Value.JobPollInterval : null;

    /// <summary>The lease a job's runs on a tenant take, scheduled or manual, so one runs at a time.</summary>
    public static string LeaseName(string tenantId, string pluginId, string job) => $"job:{tenantId}:{Item(pluginId, job)}";

    /// <summary>The earliest next due time of any job (cron seconds included), so the scheduler wakes on it.</summary>
    public DateTime? NextDueAfter(DateTime from) =>
        Jobs.Values.Select(j => j.Cron.GetNextOccurrence(DateTime.SpecifyKind(from, DateTimeKind.Utc), TimeZoneInfo.Utc)).Where(d => d is not null).Min();

    /// <summary>A job of a loaded plugin with a valid schedule, by plugin id and job name.</summary>
    public IScheduledJob? Find(string pluginId, string job) => Jobs.TryGetValue(Item(pluginId, job), out var found) ? found.Job : null;

    /// <summary>Runs every job due at <paramref name="now"/> on every tenant; returns how many ran.</summary>
    public Task<int> RunDueAsync(DateTime now, CancellationToken cancellationToken) => service.Value.RunDueAsync(this, now, cancellationToken);

    /// <summary>Runs every job due at <paramref name="now"/> on one tenant; returns how many ran.</summary>
    public Task<int> RunDueAsync(string tenantId, DateTime now, CancellationToken cancellationToken) => service.Value.RunDueAsync(this, tenantId, now, cancellationToken);

    public Task<IReadOnlyList<string>> CandidatesAsync(TenantStore store, DateTime now, CancellationToken cancellationToken) =>
        // A job whose plugin version and the tenant's metadata differ (an upgrade under way) waits for its next due time.
        Task.FromResult<IReadOnlyList<string>>(Jobs
            .Where(j => store.Metadata.IsPluginEnabled(j.Value.PluginId) && serving.Refusal(store.TenantId, store.Metadata, j.Value.PluginId) is null)
            .Select(j => j.Key).ToList());

    /// <summary>
    /// Tenants where a loaded job has a due time it has not run for (its last due time is before the
    /// latest one so far), or a run left unfinished, or where a plugin's schedules started without
    /// one of its jobs (a job that came with a newer version). Enabling a plugin starts its schedules.
    /// </summary>
    public DueWorkProbe DueProbe(DateTime now)
    {
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        var due = new List<string>();
        var unstarted = new List<string>();
        foreach (var plugin in Jobs.Values.GroupBy(j => j.PluginId, StringComparer.Ordinal))
        {
            var p = "p" + parameters.Count;
            parameters[p] = plugin.Key;
            var names = new List<string>();
            foreach (var (job, _, cron) in plugin)
            {
                var j = "j" + parameters.Count;
                parameters[j] = job.Name;
                names.Add("@" + j);
                var thisJob = $"plugin_id = @{p} AND job = @{j}";
                if (LatestDue(cron, now) is { } latest)
                {
                    var d = "d" + parameters.Count;
                    parameters[d] = latest;
                    due.Add($"({thisJob} AND (running_due_at IS NOT NULL OR last_due_at < @{d}))");
                }
                else
                {
                    due.Add($"({thisJob} AND running_due_at IS NOT NULL)");
                }
            }

            var n = "n" + parameters.Count;
            parameters[n] = names.Count;
            unstarted.Add($"(EXISTS (SELECT 1 FROM {{{PluginJobTable}}} WHERE plugin_id = @{p}) AND (SELECT count(*) FROM {{{PluginJobTable}}} WHERE plugin_id = @{p} AND job IN ({string.Join(", ", names)})) < @{n})");
        }

        return due.Count == 0
            ? new DueWorkProbe([PluginJobTable], "1 = 0", parameters)
            : new DueWorkProbe([PluginJobTable], $"EXISTS (SELECT 1 FROM {{{PluginJobTable}}} WHERE {string.Join(" OR ", due)}) OR {string.Join(" OR ", unstarted)}", parameters);
    }

    private const string PluginJobTable = "crm_plugin_job";

    /// <summary>The latest due time at or before <paramref name="now"/>, looked for in growing windows (Cronos only counts forward); null when none in four years.</summary>
    private static DateTime? LatestDue(CronExpression cron, DateTime now)
    {
        foreach (var window in (ReadOnlySpan<TimeSpan>)[TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(366), TimeSpan.FromDays(4 * 366)])
        {
            var latest = cron.GetOccurrences(now - window, now, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true).LastOrDefault();
            if (latest != default)
            {
                return latest;
            }
        }

        return null;
    }

    /// <summary>
    /// The due time to run for, after claiming it: a run left unfinished, else the latest due one;
    /// null when nothing is due or another scheduler claimed it.
    /// </summary>
    public async Task<ScheduledRun?> ClaimAsync(TenantStore store, string item, DateTime now, CancellationToken cancellationToken)
    {
        if (!Jobs.TryGetValue(item, out var found))
        {
            // A reload took the job away since the candidates were listed.
            return null;
        }

        var (job, pluginId, cron) = found;
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

            // The latest due time so far, if it came after the last one run: found by looking back from
            // now, not by counting every occurrence since (years of a per-second job after a long gap).
            var last = DateTime.SpecifyKind(row.LastDueAt, DateTimeKind.Utc);
            if (LatestDue(cron, now) is not { } due || due <= last)
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
        if (!Jobs.TryGetValue(run.Item, out var found))
        {
            return true;
        }

        var (job, pluginId, _) = found;
        await runner.RunAsync(store, pluginId, job, JobTrigger.Schedule, run.Due, cancellationToken);
        return true;
    }

    /// <summary>Marks a run as over, whether the job succeeded or failed (a failed run is logged and waits for the next due time).</summary>
    public async Task FinishAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken)
    {
        // The item names the plugin and the job, whether or not a reload has taken the job away since.
        var (pluginId, jobName) = (run.Item[..run.Item.IndexOf(':', StringComparison.Ordinal)], run.Item[(run.Item.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        await using var context = store.CreateContext();
        await context.Set<PluginJobRow>().Where(r => r.PluginId == pluginId && r.Job == jobName && r.RunningDueAt == run.Due)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RunningDueAt, (DateTime?)null), cancellationToken);
    }

    private static Dictionary<string, (IScheduledJob, string, CronExpression)> Parse(PluginCatalog catalog, ILogger logger)
    {
        var parsed = new Dictionary<string, (IScheduledJob, string, CronExpression)>(StringComparer.Ordinal);
        foreach (var (job, pluginId) in catalog.Implementations<IScheduledJob>())
        {
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
