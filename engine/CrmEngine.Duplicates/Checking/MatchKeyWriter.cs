using CrmEngine.Duplicates.Rules;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Duplicates.Checking;

/// <summary>
/// Keeps the records' match keys in step with the records, in the write's own transaction: a create
/// (or an import batch) adds the keys of every rule of the entity, an update that changes a field a
/// rule compares replaces that rule's key, a delete removes the record's keys and a restore puts
/// them back. Inactive rules keep their keys too, so switching a rule on needs no rebuild.
/// </summary>
internal sealed class MatchKeyWriter(DuplicateRuleCache cache, IBulkWriter bulk) : IWriteCompanion
{
    /// <summary>Batches at least this large go through the store's bulk path.</summary>
    private const int BulkFrom = 64;

    public async Task WrittenAsync(TenantDbContext context, IReadOnlyList<(RecordChange Change, Dictionary<string, object?> Row)> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var first = writes[0].Change;
        var rules = cache.TryGet(first.Session.TenantId, first.Entity.Name) ?? await cache.GetAsync(first.Session.Store, first.Entity.Name, cancellationToken);
        if (rules.Count == 0)
        {
            return;
        }

        var added = new List<DuplicateKeyRow>();
        foreach (var (change, _) in writes)
        {
            var stale = new List<Guid>();
            var deleted = change.Operation == RecordOperation.Delete;
            foreach (var rule in rules)
            {
                var replaces = change.Operation switch
                {
                    RecordOperation.Create => false,
                    RecordOperation.Update => rule.Reads(change),
                    _ => true,
                };
                if (replaces)
                {
                    stale.Add(rule.Id);
                }

                if ((change.Operation == RecordOperation.Create || replaces) && !deleted && rule.KeyOf(change.Get) is { } key)
                {
                    added.Add(new DuplicateKeyRow { RuleId = rule.Id, RecordId = change.RecordId, Key = key });
                }
            }

            if (stale.Count > 0)
            {
                var id = change.RecordId;
                await context.Set<DuplicateKeyRow>().Where(k => k.RecordId == id && stale.Contains(k.RuleId)).ExecuteDeleteAsync(cancellationToken);
            }
        }

        if (added.Count >= BulkFrom)
        {
            await bulk.InsertAsync(context, added, cancellationToken);
        }
        else
        {
            context.Set<DuplicateKeyRow>().AddRange(added);
        }
    }
}
