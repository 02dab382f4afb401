using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// Walks every record of an entity in id order, a batch at a time, each batch in a write transaction
/// of its own, so writes go on meanwhile: how computed fields are filled in and recomputed.
/// </summary>
public static class RecordBatches
{
    public static async Task ForEachAsync(TenantStore store, string entity, int batchSize, Func<TenantDbContext, List<Guid>, Task> work, CancellationToken cancellationToken)
    {
        Guid? after = null;
        while (true)
        {
            List<Guid> ids;
            await using (var read = store.CreateContext())
            {
                var query = read.Records(entity).Select(r => EF.Property<Guid>(r, RecordColumns.Id));
                if (after is { } last)
                {
                    query = query.Where(id => id.CompareTo(last) > 0);
                }

                ids = await query.OrderBy(id => id).Take(batchSize).ToListAsync(cancellationToken);
            }

            if (ids.Count == 0)
            {
                return;
            }

            await using (var unit = await store.Access.BeginWriteAsync(store.Current, shareCommit: false, cancellationToken))
            {
                await work(unit.Context, ids);
                await unit.CompleteAsync(cancellationToken);
            }

            after = ids[^1];
        }
    }
}
