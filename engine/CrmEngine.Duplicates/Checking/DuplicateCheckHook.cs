using CrmEngine.Duplicates.Rules;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Duplicates.Checking;

/// <summary>
/// Checks creates and updates against the entity's active duplicate rules, last in the before stage
/// (after plugins and rules have set their values), so every writer is checked: GraphQL, bulk
/// mutations, imports, rules and plugins. Per rule that applies, the record's match key is looked up
/// in the rule's keys (one indexed query, in the write's own transaction when there is one, so items
/// written earlier in a bulk request count). An update is checked only when it changes a field the
/// rule compares.
/// A match blocks (DUPLICATE_RECORD) or warns, as the rule says. The matching records are named only
/// when the writer may read them: a record outside the writer's scope still blocks, but is never
/// named (<see cref="DuplicateMatch.HiddenMatches"/> says there were such records), so rights are
/// not leaked beyond the fact that a duplicate exists.
/// </summary>
internal sealed class DuplicateCheckHook(DuplicateRuleCache cache, RecordReader reader, IOptions<DuplicateOptions> options) : IRecordHook
{
    public string Source => "duplicates";

    /// <summary>After plugin hooks and before-rules (1000): the values checked are the ones written.</summary>
    public int Order => 100_000;

    public bool AppliesTo(RecordChange change) =>
        change.Operation is RecordOperation.Create or RecordOperation.Update
        && (cache.TryGet(change.Session.TenantId, change.Entity.Name) is not { } rules || rules.Count > 0);

    public async Task BeforeAsync(RecordChange change, CancellationToken cancellationToken)
    {
        var rules = await cache.GetAsync(change.Session.Store, change.Entity.Name, cancellationToken);
        // The writer's acknowledgement counts for its own write, not for writes its write caused.
        var acknowledged = DuplicateAcknowledgement.IsGiven && WriteScope.For(change.Session) is not { IsCausedByWrite: true };
        foreach (var rule in rules)
        {
            var action = rule.ActionOn(change.Operation);
            if (action == RuleAction.None || (action == RuleAction.Warn && acknowledged) || (change.Operation == RecordOperation.Update && !rule.Reads(change)))
            {
                continue;
            }

            if (rule.KeyOf(change.Get) is not { } key)
            {
                continue;
            }

            var matches = await MatchesAsync(change, rule, key, cancellationToken);
            if (matches.Count == 0)
            {
                continue;
            }

            var visible = await reader.GetManyAsync(change.Session, change.Entity.Name, matches, cancellationToken);
            var named = matches.Where(visible.ContainsKey).ToList();
            var match = new DuplicateMatch(rule.Id, rule.Name, change.Entity.Name, action == RuleAction.Block ? DuplicateAction.Block : DuplicateAction.Warn, named, named.Count < matches.Count);
            change.AddDuplicate(match);
            if (action == RuleAction.Block)
            {
                change.Errors.Add(new CrmError(ErrorCodes.DuplicateRecord, Describe(change, match), rule.Conditions[0].Field));
                return;
            }
        }
    }

    private static string Describe(RecordChange change, DuplicateMatch match)
    {
        var named = match.RecordIds.Count == 0 ? string.Empty : $": {string.Join(", ", match.RecordIds.Select(id => GlobalId.Encode(change.Entity.Name, id)))}";
        var hidden = match.HiddenMatches ? (match.RecordIds.Count == 0 ? " a record you cannot see" : ", and records you cannot see") : string.Empty;
        return $"Duplicate rule '{match.Rule}' matched another {change.Entity.Name}{(match.RecordIds.Count == 0 ? hidden : named + hidden)}; it blocks the {change.Operation.ToString().ToLowerInvariant()}.";
    }

    /// <summary>The other records holding the key, in the write's transaction when there is one.</summary>
    private async Task<List<Guid>> MatchesAsync(RecordChange change, DuplicateRule rule, string key, CancellationToken cancellationToken)
    {
        var self = change.RecordId;
        var ruleId = rule.Id;
        var take = options.Value.MaxReportedMatches;
        if (WriteScope.For(change.Session) is { } scope)
        {
            return await Query(scope.Context).ToListAsync(cancellationToken);
        }

        // Outside a write (an import's checks run before its batch's transaction).
        await using var context = change.Session.CreateContext();
        return await Query(context).ToListAsync(cancellationToken);

        IQueryable<Guid> Query(TenantDbContext context) => context.Set<DuplicateKeyRow>()
            .Where(k => k.RuleId == ruleId && k.Key == key && k.RecordId != self)
            .OrderBy(k => k.RecordId).Select(k => k.RecordId).Take(take);
    }
}
