using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Set-based updates of one column of an entity table, through EF's ExecuteUpdate, for metadata
/// changes that rewrite data (type conversions, auto-number backfills).
/// </summary>
public static class ColumnUpdates
{
    private static readonly MethodInfo SetTypedMethod = typeof(ColumnUpdates).GetMethod(nameof(SetTypedAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Sets <paramref name="column"/> to <paramref name="value"/> on every row (of one record when <paramref name="recordId"/> is given).</summary>
    public static Task<int> SetAsync(TenantDbContext context, string entity, string column, Type clrType, object? value, Guid? recordId, CancellationToken cancellationToken)
    {
        var query = context.Records(entity).AsQueryable();
        if (recordId is { } id)
        {
            query = query.Where(r => EF.Property<Guid>(r, RecordColumns.Id) == id);
        }

        return (Task<int>)SetTypedMethod.MakeGenericMethod(clrType).Invoke(null, [query, column, value, cancellationToken])!;
    }

    private static Task<int> SetTypedAsync<T>(IQueryable<Dictionary<string, object>> query, string column, object? value, CancellationToken cancellationToken)
    {
        var typed = (T)value!;
        return query.ExecuteUpdateAsync(s => s.SetProperty(r => EF.Property<T>(r, column), typed), cancellationToken);
    }
}
