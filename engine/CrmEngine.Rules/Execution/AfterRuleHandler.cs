using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Rules.Execution;

/// <summary>
/// After-rules, driven by the outbox once a change has committed: at least once, in order per
/// record. Each rule runs in its own transaction with a marker, so when one rule fails and the
/// outbox retries the change (with back-off, until it parks it), the rules that already succeeded
/// are not run again. A rule refused for want of a place among its tenant's or the host's runs
/// (RULES_BUSY) puts the change off: it is tried again shortly, without counting an attempt, so it is never parked for it.
/// </summary>
internal sealed class AfterRuleHandler(TenantRegistry tenants, RuleSetCache cache, RecordRuleRunner records) : IRecordChangeHandler
{
    /// <summary>When a change put off for busy rules is tried again (the outbox's sweep may come later).</summary>
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);

    public string Name => "rules";

    public async Task HandleAsync(RecordEvent change, CancellationToken cancellationToken)
    {
        if (RuleTriggers.After(change.Operation) is not { } trigger)
        {
            return;
        }

        var store = await tenants.GetAsync(change.TenantId, cancellationToken);
        var rules = (await cache.GetAsync(store, cancellationToken)).For(change.Entity, trigger);
        if (rules.Count == 0)
        {
            return;
        }

        var actor = change.Actor is { } id && id != CrmPrincipal.SystemUserId ? new CrmPrincipal(change.TenantId, id, null, []) : CrmPrincipal.System(change.TenantId);
        var session = new CrmSession(store, actor);
        var failures = new List<string>();
        foreach (var rule in rules)
        {
            if (rule.Id is { } ruleId && await DoneAsync(session, ruleId, change.Sequence, cancellationToken))
            {
                continue;
            }

            var result = await records.RunAsync(session, rule, trigger, change.RecordId, change.Depth,
                async r => RecordSnapshot.Committed(r, change.Operation, change.Version, change.ChangesJson, await LaterChangesAsync(session, change, r, cancellationToken)), change.Sequence, cancellationToken);
            if (result.Error is { Code: RuleErrorCodes.Busy } busy)
            {
                // The rules after it wait too: they run in order.
                if (failures.Count == 0)
                {
                    throw new RetryLaterException(busy.Message, BusyRetry);
                }

                failures.Add(busy.Message);
                break;
            }

            if (result.Outcome is RuleRunOutcome.Failed or RuleRunOutcome.LimitExceeded)
            {
                failures.Add(result.Error?.Message ?? $"Rule '{rule.Name}' failed.");
            }
        }

        if (failures.Count > 0)
        {
            // The outbox retries the change later with back-off and, after its last attempt, parks it.
            throw new AfterRuleFailedException(string.Join(" ", failures));
        }
    }

    /// <summary>The audit entries of the record's writes after this change, newest first (usually none).</summary>
    private static async Task<IReadOnlyList<string>> LaterChangesAsync(CrmSession session, RecordEvent change, RecordData record, CancellationToken cancellationToken)
    {
        if (record.Version <= change.Version)
        {
            return [];
        }

        await using var context = session.CreateContext();
        return await context.Set<AuditRow>()
            .Where(a => a.Entity == change.Entity && a.RecordId == change.RecordId && a.Version > change.Version)
            .OrderByDescending(a => a.Version)
            .Select(a => a.Changes)
            .ToListAsync(cancellationToken);
    }

    private static async Task<bool> DoneAsync(CrmSession session, Guid ruleId, long sequence, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        return await context.Set<RuleEventDoneRow>().AnyAsync(d => d.RuleId == ruleId && d.OutboxSeq == sequence, cancellationToken);
    }
}

/// <summary>One or more after-rules failed on a change; the outbox will try again.</summary>
public sealed class AfterRuleFailedException(string message) : Exception(message);
