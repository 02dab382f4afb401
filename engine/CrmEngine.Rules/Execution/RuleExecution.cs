using CrmEngine.Engine.Errors;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>
/// Where every rule run starts (before-rules, after-rules, schedules, runRule, testRule): it takes a
/// place among its tenant's and the host's (<see cref="RunPlaces"/>), waiting no longer than
/// <see cref="RuleOptions.RunQueueTimeout"/>; past that it is refused with RULES_BUSY, a
/// <see cref="CrmException"/>, and nothing it would have done happens. Callers are inside the run's
/// transaction already: on a single-writer store a run holds the write turn first and its place
/// second, in that order everywhere, so two runs never wait on each other crosswise.
/// A run started by a run (a script's write triggering another rule) runs on its parent's place:
/// the parent waits for it, so waiting for a place of its own could only deadlock.
/// </summary>
internal sealed class RuleExecution(RuleRunner runner, RunPlaces places, IOptions<RuleOptions> options)
{
    private static readonly AsyncLocal<bool> InsideRun = new();

    /// <summary>
    /// Runs the request, or throws RULES_BUSY. <paramref name="waitForPlace"/>: false for work that is
    /// tried again later anyway (after-rules, schedules), which takes a free place or none, so it never
    /// holds up the background loop that runs it, nor takes a place from a waiting caller.
    /// </summary>
    public async Task<RuleRunResult> RunAsync(RuleRunRequest request, bool waitForPlace, CancellationToken cancellationToken)
    {
        if (InsideRun.Value)
        {
            return runner.Run(request, cancellationToken);
        }

        var (place, refusal) = await places.EnterAsync(request.Session.TenantId, waitForPlace ? options.Value.RunQueueTimeout : TimeSpan.Zero, cancellationToken);
        using (place ?? throw Busy(request, refusal))
        {
            // Scoped to this method's flow: the rules the run's own writes trigger see it.
            InsideRun.Value = true;
            return runner.Run(request, cancellationToken);
        }
    }

    private CrmException Busy(RuleRunRequest request, RunPlaces.Refusal refusal) => new(
        RuleErrorCodes.Busy,
        $"Rule '{request.Rule.Name}' was not run: " + (refusal == RunPlaces.Refusal.HostBusy
            ? $"this server is running as many rules as it may at once ({places.Host})"
            : $"this tenant already has as many rule runs going on this server as it may have at once ({places.PerTenant})")
        + ". Nothing was changed; try again shortly.");
}
