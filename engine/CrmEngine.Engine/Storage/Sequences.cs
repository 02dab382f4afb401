using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Named counters in crm_sequence. The increment is an UPDATE, so inside a transaction the row
/// stays locked until commit and two writers never draw the same number.
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
            rows.Add(new SequenceRow { Name = name, Value = 1 });
            await context.SaveChangesAsync(cancellationToken);
            context.ChangeTracker.Clear();
            return 1;
        }

        return await rows.AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).SingleAsync(cancellationToken);
    }

    public static Task DeleteAsync(TenantDbContext context, string name, CancellationToken cancellationToken) =>
        context.Set<SequenceRow>().Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken);
}
