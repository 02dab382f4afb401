using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Logging;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>How one rule run on one stored record ended, after its changes were saved (or not).</summary>
public sealed record RecordRunResult(Guid RecordId, RuleRunOutcome Outcome, CrmError? Error, IReadOnlyList<FieldChange> Changes, IReadOnlyList<string> Logs);

/// <summary>
/// Runs a rule on a stored record outside any write (after-rules, schedules, runRule): in a
/// transaction of its own, so the script's writes, the save of what it changed on <c>record</c>,
/// its notifications and (for after-rules) the marker that it handled the change all commit
/// together, or none of them do. A run refused for want of a place (RULES_BUSY) changes nothing and
/// is not logged; its result carries that error, so its caller can try it again later.
/// </summary>
internal sealed class RecordRuleRunner(
    RuleExecution execution,
    RuleServices services,
    RunLog runLog,
    OutboxSignal outbox,
    IOptions<RuleOptions> options,
    IOptions<CrmEngineOptions> engineOptions)
{
    /// <summary>
    /// Runs <paramref name="rule"/> on a record. <paramref name="depth"/> is the cascade depth of the
    /// change that caused the run (0 when nothing did), so the run's writes continue that cascade.
    /// <paramref name="outboxSeq"/> marks an after-rule's change as handled by this rule.
    /// </summary>
    public Task<RecordRunResult> RunAsync(
        CrmSession caller, CompiledRule rule, RuleTrigger trigger, Guid recordId, int depth, Func<RecordData, Task<RecordSnapshot>> snapshot, long? outboxSeq, CancellationToken cancellationToken) =>
        RunAsync(caller, rule, trigger, recordId, depth, snapshot, outboxSeq, null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="alsoOnSuccess"/> writes in the run's own transaction when the run
    /// counts as done (the scheduler records its progress through a tick this way, so a resumed tick
    /// skips exactly the records whose runs committed).
    /// </summary>
    public async Task<RecordRunResult> RunAsync(
        CrmSession caller, CompiledRule rule, RuleTrigger trigger, Guid recordId, int depth, Func<RecordData, Task<RecordSnapshot>> snapshot, long? outboxSeq,
        Func<TenantDbContext, Task>? alsoOnSuccess, CancellationToken cancellationToken)
    {
        var entity = caller.Metadata.Find(rule.Definition.Entity);
        if (entity is null)
        {
            return new RecordRunResult(recordId, RuleRunOutcome.Failed, new CrmError(ErrorCodes.UnknownEntity, $"Rule '{rule.Name}' is on entity '{rule.Definition.Entity}', which no longer exists."), [], []);
        }

        RecordRunResult? outcome = null;
        await WriteScope.RunAtDepthAsync(Math.Max(0, depth - 1), async () =>
        {
            // The transaction itself is not a write: it sits at the depth of the change that caused
            // it, so the writes made inside are one deeper, as if the change had made them.
            await using var scope = await WriteScope.BeginAsync(caller, entity.Name, null, engineOptions.Value.MaxCascadeDepth, cancellationToken);
            scope.Activate();
            var ruleSession = new CrmSession(caller.Store, CrmPrincipal.System(caller.TenantId)) { OnBehalfOf = caller.Principal.UserId };
            var record = await services.Reader.GetAsync(ruleSession, entity.Name, recordId, includeDeleted: trigger == RuleTrigger.AfterDelete, cancellationToken);
            if (record is null)
            {
                outcome = new RecordRunResult(recordId, RuleRunOutcome.Failed, new CrmError(ErrorCodes.NotFound, $"There is no {entity.Name} with id {recordId}.", "id"), [], []);
                // Nothing to run on (the record was purged): the change counts as handled.
                await MarkDoneAsync(scope, rule, outboxSeq, alsoOnSuccess);
                await scope.CompleteAsync(cancellationToken);
                return;
            }

            var request = new RuleRunRequest(rule, trigger, caller, entity, await snapshot(record), options.Value.LimitsFor(caller.TenantId), DryRun: false);
            RuleRunResult result;
            try
            {
                // Runs in the background are tried again later: they don't wait for a place.
                result = await execution.RunAsync(request, waitForPlace: trigger == RuleTrigger.Manual, cancellationToken);
            }
            catch (CrmException busy) when (busy.Code == RuleErrorCodes.Busy)
            {
                // It didn't run: nothing to log or mark; its caller tries it again later.
                outcome = new RecordRunResult(recordId, RuleRunOutcome.Failed, busy.Errors[0], [], []);
                return;
            }

            var error = result.Error;
            if (result.Outcome == RuleRunOutcome.Succeeded && result.Changes.Count > 0)
            {
                // What the script changed on `record` is saved as one update of those fields, on the
                // version read here (an after-rule may have seen an older one: its fields win).
                var values = result.Changes.ToDictionary(c => c.Field, c => c.New);
                var saved = await services.Pipeline.UpdateAsync(ruleSession, entity.Name, recordId, record.Version, values, cancellationToken);
                if (!saved.Succeeded)
                {
                    error = saved.Errors[0] with { Message = $"Rule '{rule.Name}' could not save its changes to the {entity.Name}: {string.Join(" ", saved.Errors.Select(e => e.Message))}" };
                }
            }

            var succeeded = error is null && result.Outcome is RuleRunOutcome.Succeeded or RuleRunOutcome.Skipped or RuleRunOutcome.Rejected;
            if (succeeded)
            {
                await MarkDoneAsync(scope, rule, outboxSeq, alsoOnSuccess);
                await scope.CompleteAsync(cancellationToken);
                outbox.Notify(caller.TenantId);
            }

            runLog.Record(caller.TenantId, rule, entity.Name, recordId, trigger, result, error);
            var final = error is not null && result.Outcome == RuleRunOutcome.Succeeded ? RuleRunOutcome.Failed : result.Outcome;
            outcome = new RecordRunResult(recordId, final, error ?? (result.Rejections.Count > 0 ? result.Rejections[0] : null), result.Changes, result.Logs);
        });

        return outcome!;
    }

    /// <summary>Saved when the scope completes, with everything else the run did.</summary>
    private async Task MarkDoneAsync(WriteScope scope, CompiledRule rule, long? outboxSeq, Func<TenantDbContext, Task>? alsoOnSuccess)
    {
        if (outboxSeq is { } seq && rule.Id is { } id)
        {
            scope.Context.Set<RuleEventDoneRow>().Add(new RuleEventDoneRow { RuleId = id, OutboxSeq = seq, At = services.Time.UtcNow() });
        }

        if (alsoOnSuccess is not null)
        {
            await alsoOnSuccess(scope.Context);
        }
    }
}
