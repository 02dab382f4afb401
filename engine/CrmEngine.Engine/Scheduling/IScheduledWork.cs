using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Scheduling;

/// <summary>
/// One kind of work that runs on a schedule in every tenant (scheduled rules, plugin jobs), run by
/// <see cref="ScheduledWorkService"/>. The service owns the protocol: each item is worked on under a
/// lease (one host at a time), a run left unfinished is resumed before a new one is claimed, and a
/// run is marked over only once it ended. The kind owns its storage: where its schedule and the
/// running marker live, and how a due run is claimed with a conditional update, so that neither two
/// loops in one process nor two hosts on one database claim the same run.
/// </summary>
public interface IScheduledWork
{
    /// <summary>Names the kind in lease names and logs ("rule", "job").</summary>
    string Kind { get; }

    /// <summary>How often the service looks for due runs; null when this kind is switched off.</summary>
    TimeSpan? PollInterval { get; }

    /// <summary>
    /// The first time after <paramref name="from"/> a run of this kind falls due, when the kind can
    /// tell (its schedules are known in advance, some with seconds); the service then wakes at that
    /// time rather than at its next poll. Null when the kind only polls.
    /// </summary>
    DateTime? NextDueAfter(DateTime from);

    /// <summary>
    /// Which tenants may have a run due at <paramref name="now"/> or left unfinished, as a question
    /// the stores answer without the tenants being opened (<see cref="Coordination.DueWorkProbe"/>).
    /// </summary>
    Coordination.DueWorkProbe DueProbe(DateTime now);

    /// <summary>The items of a tenant that may have a run due at <paramref name="now"/> or left unfinished.</summary>
    Task<IReadOnlyList<string>> CandidatesAsync(TenantStore store, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Under the item's lease: the run a host left unfinished (to resume), else the run due at
    /// <paramref name="now"/>, claimed and marked running; null when nothing is due or another
    /// claimer got there first.
    /// </summary>
    Task<ScheduledRun?> ClaimAsync(TenantStore store, string item, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a claimed or resumed run; true when it ended (done, or failed and left to its next due
    /// time), false when it stopped early and the next pass resumes it.
    /// </summary>
    Task<bool> RunAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken);

    /// <summary>Clears the run's running marker, so nobody resumes it.</summary>
    Task FinishAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken);
}

/// <summary>
/// A run of a scheduled item: which item, which run of it (a tick counter, a due time), where a
/// resumed run picks up (null for a fresh one, or a kind that reruns from the start), and what the
/// kind loaded when it claimed the run (<paramref name="Work"/>: the compiled rule, the job).
/// </summary>
public sealed record ScheduledRun(string Item, long Tick, DateTime Due, bool Resumed, Guid? ResumeAfter = null, object? Work = null);
