using System.Collections.Concurrent;
using System.Linq.Expressions;
using CrmEngine.Engine.Records.Querying;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// The hottest reads through EF, for any provider: one record by id with an EF compiled query,
/// compiled once per model and entity (it skips building, hashing and looking up an expression
/// tree on every call; keyed by the model instance, which every tenant with the same schema shares
/// and which is replaced when it changes); lists as EF runs them. A provider with a faster way
/// overrides what it can and leaves the rest here.
/// </summary>
public class EfFastReads : IFastReads
{
    private static readonly ConcurrentDictionary<(IModel Model, string Entity), Func<TenantDbContext, Guid, Task<Dictionary<string, object>?>>> ById = new();

    public virtual Task<Dictionary<string, object>?> LiveByIdAsync(TenantDbContext context, string entity, Guid id, CancellationToken cancellationToken) =>
        ById.GetOrAdd((context.Model, entity), key => Compile(key.Entity))(context, id);

    public virtual async Task<List<object?[]>> ReadRowsAsync(TenantDbContext context, IQueryable<object?[]> query, IReadOnlyList<Type> columnTypes, CancellationToken cancellationToken) =>
        await query.ToListAsync(cancellationToken);

    private static Func<TenantDbContext, Guid, Task<Dictionary<string, object>?>> Compile(string entity)
    {
        // (context, id) => context.Set<Dictionary<string, object>>(entity).Where(r => r.id == id && r.deleted_at == null).FirstOrDefault()
        var context = Expression.Parameter(typeof(TenantDbContext), "context");
        var id = Expression.Parameter(typeof(Guid), "id");
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        var set = Expression.Call(context, typeof(DbContext).GetMethod(nameof(DbContext.Set), [typeof(string)])!.MakeGenericMethod(typeof(Dictionary<string, object>)), Expression.Constant(entity));
        var predicate = Expression.Lambda<Func<Dictionary<string, object>, bool>>(
            Expression.AndAlso(
                Expression.Equal(PredicateBuilder.Column(row, RecordColumns.Id, typeof(Guid)), id),
                PredicateBuilder.IsNull(PredicateBuilder.Column(row, RecordColumns.DeletedAt, typeof(DateTime?)))),
            row);
        var where = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(Dictionary<string, object>)], set, Expression.Quote(predicate));
        var first = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(Dictionary<string, object>)], where);
        return EF.CompileAsyncQuery(Expression.Lambda<Func<TenantDbContext, Guid, Dictionary<string, object>?>>(first, context, id));
    }
}
