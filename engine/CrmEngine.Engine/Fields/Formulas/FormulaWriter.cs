using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// Keeps formula fields equal to their formulas, in the write's own transaction. A created record, or
/// an updated one whose change touches a field a formula reads, gets its formulas computed by the store
/// from the row's new values before the row is saved, so the write's answer, its after hooks and the
/// saved row all hold them (rows the bulk importer has already inserted are computed from the table
/// and updated). An update of a record that other records' formulas read through a lookup recomputes
/// those records, set-based by the lookup's index. Entities without formulas cost two dictionary lookups per write.
/// </summary>
internal sealed class FormulaWriter : IWriteCompanion
{
    /// <summary>How many records one statement recomputes.</summary>
    private const int Chunk = 500;

    public async Task WrittenAsync(TenantDbContext context, IReadOnlyList<(RecordChange Change, Dictionary<string, object?> Row)> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var metadata = writes[0].Change.Session.Metadata;
        var entity = writes[0].Change.Entity.Name;
        var own = FormulaDefinitions.Of(metadata, entity);
        var readers = FormulaDefinitions.Reading(metadata, entity);
        if (own.Count == 0 && readers.Count == 0)
        {
            return;
        }

        var inserted = new List<object>();
        foreach (var (change, row) in writes)
        {
            var due = change.Operation switch
            {
                RecordOperation.Create => own,
                RecordOperation.Update => [.. own.Where(f => f.Formula.Reads.Any(change.Changes))],
                _ => [],
            };
            if (due.Count == 0)
            {
                continue;
            }

            if (context.Records(entity).Entry(row!).State == EntityState.Detached)
            {
                inserted.Add(change.RecordId);
                continue;
            }

            var values = await FormulaValues.OfRowAsync(context, due, row, cancellationToken);
            for (var i = 0; i < due.Count; i++)
            {
                row[due[i].Field.ColumnName] = values[i];
            }
        }

        if (inserted.Count > 0)
        {
            await RecomputeAsync(context, own, RecordColumns.Id, inserted, cancellationToken);
        }

        await RecomputeReadersAsync(context, writes, readers, cancellationToken);
    }

    /// <summary>The records whose formulas read an updated record's changed fields through a lookup.</summary>
    private static async Task RecomputeReadersAsync(TenantDbContext context, IReadOnlyList<(RecordChange Change, Dictionary<string, object?> Row)> writes, IReadOnlyList<(FormulaDefinitions.Compiled Formula, RemoteReads Reads)> readers, CancellationToken cancellationToken)
    {
        var work = new Dictionary<(string Entity, string Lookup), (List<FormulaDefinitions.Compiled> Formulas, HashSet<object> Ids)>();
        foreach (var (change, _) in writes)
        {
            if (change.Operation != RecordOperation.Update)
            {
                continue;
            }

            foreach (var (formula, reads) in readers)
            {
                if (!reads.Fields.Any(change.Changes))
                {
                    continue;
                }

                var key = (formula.Entity.Name, reads.Lookup);
                if (!work.TryGetValue(key, out var entry))
                {
                    work[key] = entry = ([], []);
                }

                if (!entry.Formulas.Contains(formula))
                {
                    entry.Formulas.Add(formula);
                }

                entry.Ids.Add(change.RecordId);
            }
        }

        if (work.Count == 0)
        {
            return;
        }

        // The recompute reads the looked-up record from the table: this write's row must be there first.
        await context.SaveChangesAsync(cancellationToken);
        foreach (var ((entity, lookup), (formulas, ids)) in work)
        {
            var column = formulas[0].Entity.FindField(lookup)!.ColumnName;
            await RecomputeAsync(context, formulas, column, [.. ids], cancellationToken);
        }
    }

    private static async Task RecomputeAsync(TenantDbContext context, IReadOnlyList<FormulaDefinitions.Compiled> formulas, string column, IReadOnlyList<object> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(Chunk))
        {
            var results = await FormulaValues.OfStoredAsync(context, formulas, column, typeof(Guid), chunk, cancellationToken);
            await FormulaValues.StoreAsync(context, formulas, results, cancellationToken);
        }
    }
}
