using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.PluginHost.Jobs;

/// <summary>What started a job run.</summary>
public enum JobTrigger
{
    /// <summary>Its cron schedule.</summary>
    Schedule,

    /// <summary>An admin, with runJob.</summary>
    Manual,
}

/// <summary>How a job run went.</summary>
public enum JobRunOutcome
{
    Running,
    Succeeded,
    Failed,

    /// <summary>Its host stopped or died before it ended.</summary>
    Interrupted,
}

/// <summary>A job run history query: newest first.</summary>
public sealed record JobRunQuery(string? PluginId = null, string? Job = null, JobRunOutcome? Outcome = null, int First = 50);

/// <summary>
/// The job run history of a tenant (crm_plugin_job_run): a run is written when it starts (so a
/// running one shows, with its host) and completed when it ends. Runs are only ever started under
/// the job's lease, so a run still marked running when another starts was left by a host that
/// stopped or died: it is marked interrupted. Each job keeps its newest
/// <see cref="CrmEngineOptions.JobRunsKept"/> runs of the last <see cref="CrmEngineOptions.JobRunRetention"/>.
/// </summary>
public sealed class JobRunLog(TimeProvider time, IOptions<CrmEngineOptions> options)
{
    /// <summary>The machine's name, recorded with each run.</summary>
    public static readonly string HostName = Environment.MachineName;

    public static string Name(JobTrigger trigger) => trigger == JobTrigger.Manual ? "manual" : "schedule";

    public static string Name(JobRunOutcome outcome) => outcome.ToString().ToLowerInvariant();

    public static JobRunOutcome ParseOutcome(string stored) => Enum.Parse<JobRunOutcome>(stored, ignoreCase: true);

    /// <summary>Writes a run as started; call under the job's lease.</summary>
    public async Task<PluginJobRunRow> StartAsync(TenantStore store, string pluginId, string job, JobTrigger trigger, DateTime scheduledAt, CancellationToken cancellationToken)
    {
        var running = Name(JobRunOutcome.Running);
        await using var context = store.CreateContext();
        await context.Set<PluginJobRunRow>().Where(r => r.PluginId == pluginId && r.Job == job && r.Outcome == running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Outcome, Name(JobRunOutcome.Interrupted)), cancellationToken);
        var row = new PluginJobRunRow
        {
            Id = Guid.CreateVersion7(),
            PluginId = pluginId,
            Job = job,
            Trigger = Name(trigger),
            ScheduledAt = scheduledAt,
            StartedAt = time.UtcNow(),
            Outcome = running,
            Host = HostName,
        };
        context.Set<PluginJobRunRow>().Add(row);
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Drops the job's runs past retention, then records how this one ended (so a run seen ended was pruned after).</summary>
    public async Task EndAsync(TenantStore store, PluginJobRunRow run, JobRunOutcome outcome, CrmError? error, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        await PruneAsync(context, run.PluginId, run.Job, cancellationToken);
        run.EndedAt = time.UtcNow();
        run.Outcome = Name(outcome);
        run.ErrorCode = error?.Code;
        run.Error = error?.Message;
        context.Set<PluginJobRunRow>().Update(run);
        await context.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Whether the history shows a run of the job going on (on any host).</summary>
    public static async Task<bool> IsRunningAsync(TenantStore store, string pluginId, string job, CancellationToken cancellationToken)
    {
        var running = Name(JobRunOutcome.Running);
        await using var context = store.CreateContext();
        return await context.Set<PluginJobRunRow>().AnyAsync(r => r.PluginId == pluginId && r.Job == job && r.Outcome == running, cancellationToken);
    }

    /// <summary>The tenant's runs, newest first (at most 500). Needs admin rights.</summary>
    public static async Task<IReadOnlyList<PluginJobRunRow>> QueryAsync(CrmSession session, JobRunQuery query, CancellationToken cancellationToken)
    {
        RequireAdmin(session, "The job run history");
        await using var context = session.CreateContext();
        var runs = context.Set<PluginJobRunRow>().AsNoTracking();
        if (query.PluginId is { } pluginId)
        {
            runs = runs.Where(r => r.PluginId == pluginId);
        }

        if (query.Job is { } job)
        {
            runs = runs.Where(r => r.Job == job);
        }

        if (query.Outcome is { } outcome)
        {
            var stored = Name(outcome);
            runs = runs.Where(r => r.Outcome == stored);
        }

        return await runs.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(Math.Clamp(query.First, 1, 500)).ToListAsync(cancellationToken);
    }

    internal static void RequireAdmin(CrmSession session, string what)
    {
        if (!session.Permissions.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, $"{what} needs admin rights.");
        }
    }

    private async Task PruneAsync(DbContext context, string pluginId, string job, CancellationToken cancellationToken)
    {
        var runs = context.Set<PluginJobRunRow>().Where(r => r.PluginId == pluginId && r.Job == job);
        var cutoff = time.UtcNow() - options.Value.JobRunRetention;
        var oldestKept = await runs.OrderByDescending(r => r.StartedAt).Skip(Math.Max(1, options.Value.JobRunsKept) - 1).Select(r => (DateTime?)r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        if (oldestKept > cutoff)
        {
            cutoff = oldestKept.Value;
        }

        await runs.Where(r => r.StartedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
