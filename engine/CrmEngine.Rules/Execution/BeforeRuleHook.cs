using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Logging;
using CrmEngine.Rules.Scripting;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>
/// Before-rules in the pipeline's before stage, inside the write's transaction: each may change the
/// record (the changes are checked like client input) or reject it; a failing or runaway rule fails
/// the write with RULE_ERROR or RULE_LIMIT_EXCEEDED, and one that can't get a place among its
/// tenant's runs in time with RULES_BUSY. They run after plugin hooks, in rule order.
/// </summary>
internal sealed class BeforeRuleHook(RuleSetCache cache, RuleExecution execution, RunLog runLog, IOptions<RuleOptions> options) : IRecordHook
{
    public string Source => "rules";

    public int Order => 1000;

    public bool AppliesTo(RecordChange change) =>
        RuleTriggers.Before(change.Operation) is { } trigger
        && (!cache.TryGetFresh(change.Session.TenantId, out var set) || set.Has(change.Entity.Name, trigger));

    public async Task BeforeAsync(RecordChange change, CancellationToken cancellationToken)
    {
        var trigger = RuleTriggers.Before(change.Operation)!.Value;
        var set = await cache.GetAsync(change.Session.Store, cancellationToken);
        var limits = options.Value.LimitsFor(change.Session.TenantId);
        foreach (var rule in set.For(change.Entity.Name, trigger))
        {
            // Each rule sees what the rules before it set.
            var request = new RuleRunRequest(rule, trigger, change.Session, change.Entity, RecordSnapshot.Writing(change), limits, RunLog.IsSuppressed);
            // RULES_BUSY is thrown: the pipeline refuses the write with it.
            var result = await execution.RunAsync(request, waitForPlace: true, cancellationToken);
            var error = result.Error ?? Apply(change, rule, result);
            runLog.Record(change.Session.TenantId, rule, change.Entity.Name, change.RecordId, trigger, result, error);
            if (error is not null)
            {
                change.Errors.Add(error);
                return;
            }

            if (result.Rejections.Count > 0)
            {
                foreach (var rejection in result.Rejections)
                {
                    change.Reject(rejection.Message, rejection.Field);
                }

                return;
            }
        }
    }

    /// <summary>Applies what the script changed on <c>record</c>; a value the field can't take fails the rule, naming it and the field.</summary>
    private static CrmError? Apply(RecordChange change, CompiledRule rule, RuleRunResult result)
    {
        foreach (var field in result.Changes)
        {
            var before = change.Errors.Count;
            change.Set(field.Field, field.New);
            if (change.Errors.Count > before)
            {
                var refused = change.Errors[before];
                change.Errors.RemoveRange(before, change.Errors.Count - before);
                return new CrmError(RuleErrorCodes.RuleError, $"Rule '{rule.Name}' set '{field.Field}' to a value it can't take: {refused.Message}", field.Field);
            }
        }

        return null;
    }
}
