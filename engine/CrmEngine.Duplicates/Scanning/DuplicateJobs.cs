using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Import.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Duplicates.Scanning;

/// <summary>
/// Starts duplicate jobs and tells how they are doing. A job runs in the background on the host that
/// started it, on the runner import jobs use (<see cref="ImportRunner"/>): its row says where it got
/// to, and a job whose host stopped running it is reported (and recorded) as failed; start it again.
/// </summary>
public sealed class DuplicateJobs(ScanWork work, ImportRunner runner, IOptions<DuplicateOptions> options, TimeProvider time, ILogger<DuplicateJobs> logger)
{
    /// <summary>Queues a job over the rule's entity: a scan finds duplicate sets; otherwise it only builds the rule's keys (as a new or changed rule needs).</summary>
    public async Task<DuplicateJobRow> StartAsync(CrmSession session, DuplicateRuleRow rule, bool findsSets, CancellationToken cancellationToken)
    {
        var job = new DuplicateJobRow
        {
            Id = Guid.CreateVersion7(),
            RuleId = rule.Id,
            Entity = rule.Entity,
            FindsSets = findsSets,
            Status = nameof(DuplicateJobStatus.Queued),
            ClaimedBy = runner.HostId,
            CreatedBy = session.Principal.UserId,
            CreatedAt = time.UtcNow(),
        };
        await using (var context = session.CreateContext())
        {
            context.Add(job);
            await context.SaveChangesAsync(cancellationToken);
        }

        runner.Enqueue(job.Id, stopping => RunAsync(session, job.Id, stopping));
        return job;
    }

    public async Task<DuplicateJobRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var job = await context.Set<DuplicateJobRow>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is not null && IsInterrupted(job))
        {
            await FailAsync(session, id, Interrupted, cancellationToken);
            job = await context.Set<DuplicateJobRow>().AsNoTracking().SingleAsync(j => j.Id == id, cancellationToken);
        }

        return job;
    }

    public async Task<IReadOnlyList<DuplicateJobRow>> ListAsync(CrmSession session, Guid? ruleId, int first, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        return await context.Set<DuplicateJobRow>().AsNoTracking().Where(j => ruleId == null || j.RuleId == ruleId)
            .OrderByDescending(j => j.CreatedAt).Take(Math.Clamp(first, 1, 100)).ToListAsync(cancellationToken);
    }

    private static CrmError Interrupted => new(ErrorCodes.ImportInterrupted, "The host running this job stopped before it ended; start the scan again.");

    private bool IsInterrupted(DuplicateJobRow job) =>
        job.Status is nameof(DuplicateJobStatus.Queued) or nameof(DuplicateJobStatus.Running)
        && (job.ClaimedBy == runner.HostId
            ? !runner.Holds(job.Id)
            : job.Status == nameof(DuplicateJobStatus.Running) && job.HeartbeatAt < time.UtcNow() - options.Value.StaleAfter);

    private async Task RunAsync(CrmSession session, Guid id, CancellationToken stopping)
    {
        CrmError? failure = null;
        try
        {
            await work.RunAsync(session, id, stopping);
        }
        catch (CrmException e)
        {
            failure = e.Errors[0];
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            failure = Interrupted;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Duplicate job {Job} of tenant {Tenant} failed.", id, session.TenantId);
            failure = new CrmError(ErrorCodes.InternalError, "The job failed on an internal error; it has been logged.");
        }

        if (failure is not null)
        {
            await FailAsync(session, id, failure, CancellationToken.None);
        }
    }

    private async Task FailAsync(CrmSession session, Guid id, CrmError failure, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        await using var context = session.CreateContext();
        await context.Set<DuplicateJobRow>().Where(j => j.Id == id && (j.Status == nameof(DuplicateJobStatus.Queued) || j.Status == nameof(DuplicateJobStatus.Running)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, nameof(DuplicateJobStatus.Failed))
                .SetProperty(j => j.ErrorCode, failure.Code)
                .SetProperty(j => j.ErrorMessage, failure.Message)
                .SetProperty(j => j.FinishedAt, now), cancellationToken);
    }
}
