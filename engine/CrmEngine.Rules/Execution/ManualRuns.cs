using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;

namespace CrmEngine.Rules.Execution;

/// <summary>runRule: an admin runs a rule now on chosen records, each in its own transaction.</summary>
public sealed class ManualRuns
{
    public const int MaxIds = 500;

    private readonly RuleService _rules;
    private readonly RuleSetCache _cache;
    private readonly RecordRuleRunner _records;

    internal ManualRuns(RuleService rules, RuleSetCache cache, RecordRuleRunner records)
    {
        _rules = rules;
        _cache = cache;
        _records = records;
    }

    public async Task<IReadOnlyList<RecordRunResult>> RunAsync(CrmSession session, string ruleName, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        RuleService.RequireAdmin(session);
        if (ids.Count > MaxIds)
        {
            throw new CrmException(ErrorCodes.PageSizeExceeded, $"runRule takes at most {MaxIds} ids at a time.", "ids");
        }

        var rule = await _rules.GetAsync(session, null, ruleName, cancellationToken)
            ?? throw new CrmException(ErrorCodes.NotFound, $"There is no rule named '{ruleName}'.", "name");
        if (!rule.Enabled)
        {
            throw new CrmException(ErrorCodes.InvalidInput, $"Rule '{ruleName}' is disabled; enable it to run it.", "name");
        }

        var compiled = _cache.Compile(rule);
        var results = new List<RecordRunResult>();
        foreach (var id in ids.Distinct())
        {
            // Once the tenant's rules are busy, the rest are answered so at once rather than each after a wait.
            results.Add(results.Count > 0 && results[^1].Error is { Code: RuleErrorCodes.Busy } busy
                ? new RecordRunResult(id, RuleRunOutcome.Failed, busy, [], [])
                : await _records.RunAsync(session, compiled, RuleTrigger.Manual, id, 0, r => Task.FromResult(RecordSnapshot.Stored(r)), null, cancellationToken));
        }

        return results;
    }
}
