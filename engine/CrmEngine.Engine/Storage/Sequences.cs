using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Named counters in crm_sequence. The increment is an UPDATE, so inside a transaction the row
/// stays locked until commit and two writers never draw the same number. A counter's row is made
/// on its first use; two first uses at once (concurrent writers on PostgreSQL) meet on its primary
/// key, and the loser takes the next number from the winner's row.
/// </summary>
public static class Sequences
{
    public static string NameOf(string entity, string field) => entity + "." + field;

    public static async Task<long> NextAsync(TenantDbContext context, string name, CancellationToken cancellationToken)
    {
        var rows = context.Set<SequenceRow>();
        var updated = await rows.Where(s => s.Name == name).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, x => x.Value + 1), cancellationToken);
        if (updated == 0)
        {
            var row = rows.Add(new SequenceRow { Name = name, Value = 1 });
            try
            {
                await context.SaveChangesAsync(cancellationToken);
                return 1;
            }
            catch (DbUpdateException) when (context.Database.CurrentTransaction is not null)
            {
                // EF saved inside a savepoint and rolled back to it: the transaction goes on.
                row.State = EntityState.Detached;
                if (await rows.Where(s => s.Name == name).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, x => x.Value + 1), cancellationToken) == 0)
                {
                    throw;
                }
            }
            finally
            {
                row.State = EntityState.Detached;
            }
        }

        return await rows.AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).SingleAsync(cancellationToken);
    }

    public static Task DeleteAsync(TenantDbContext context, string name, CancellationToken cancellationToken) =>
        context.Set<SequenceRow>().Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken);
}
