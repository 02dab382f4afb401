using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Fields.Rollups;

/// <summary>
/// Keeps rollup fields exact at commit: after a child record's create, delete or restore, or an
/// update that changes its lookup, its aggregated field or a field its filter compares, the rollups
/// of the parent it points at (and, when re-parented, of the one it pointed at) are recomputed in the
/// write's own transaction (<see cref="RollupCalculator"/>). Entities no rollup runs over cost one
/// dictionary lookup per write.
/// </summary>
internal sealed class RollupMaintainer : IWriteCompanion
{
    public async Task WrittenAsync(TenantDbContext context, IReadOnlyList<(RecordChange Change, Dictionary<string, object?> Row)> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var metadata = writes[0].Change.Session.Metadata;
        var rollups = metadata.RollupsOver(writes[0].Change.Entity.Name);
        if (rollups.Count == 0)
        {
            return;
        }

        var work = new SortedDictionary<string, (EntityDefinition Parent, HashSet<FieldDefinition> Fields, HashSet<Guid> Ids)>(StringComparer.Ordinal);
        foreach (var (change, row) in writes)
        {
            foreach (var (parent, field) in rollups)
            {
                var rollup = field.Rollup!;
                if (change.Operation == RecordOperation.Update && !RollupDefinitions.ReadsOf(rollup, change.Entity).Any(change.Changes))
                {
                    continue;
                }

                var lookup = change.Entity.FindField(rollup.Lookup)!;
                Guid?[] parents = [row.GetValueOrDefault(lookup.ColumnName) as Guid?, change.Previous?.Get(lookup) as Guid?];
                foreach (var id in parents)
                {
                    if (id is { } parentId)
                    {
                        if (!work.TryGetValue(parent.Name, out var entry))
                        {
                            work[parent.Name] = entry = (parent, [], []);
                        }

                        entry.Fields.Add(field);
                        entry.Ids.Add(parentId);
                    }
                }
            }
        }

        if (work.Count == 0)
        {
            return;
        }

        // The aggregates read the children from the database: this write's rows must be there first.
        await context.SaveChangesAsync(cancellationToken);
        foreach (var (parent, fields, ids) in work.Values)
        {
            await RollupCalculator.RecomputeAsync(context, metadata, parent, [.. fields], ids, cancellationToken);
        }
    }
}
