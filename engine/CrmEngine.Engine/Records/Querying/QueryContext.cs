using System.Linq.Expressions;
using System.Reflection;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// What building a query needs beyond the filter itself: the tenant's metadata, the query roots of
/// other entities (for conditions through lookups and inverse lists, which become correlated
/// subqueries), and the clock and time zone relative date ranges are computed in.
/// </summary>
public sealed class QueryContext(MetadataSnapshot metadata, TenantDbContext context, DateTime utcNow, TimeZoneInfo timeZone, Permissions? permissions = null)
{
    private static readonly MethodInfo QueryableWhere = GenericQueryable(nameof(Queryable.Where), typeof(Expression<Func<object, bool>>));
    private static readonly MethodInfo QueryableSelect = GenericQueryable(nameof(Queryable.Select), typeof(Expression<Func<object, object>>));
    private static readonly MethodInfo QueryableFirstOrDefault = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.FirstOrDefault) && m.GetParameters().Length == 1);

    /// <summary>Whose rights the query runs with; null for the engine's own checks (validation), which see everything.</summary>
    public Permissions? Permissions { get; } = permissions;

    public MetadataSnapshot Metadata { get; } = metadata;

    public DateTime UtcNow { get; } = utcNow;

    public TimeZoneInfo TimeZone { get; } = timeZone;

    /// <summary>The records of another entity the principal may read, as an expression EF turns into a subquery.</summary>
    public Expression Root(string entity) => Scoped(context.Records(entity), entity).Expression;

    /// <summary>A query of <paramref name="entity"/> narrowed to the records the principal may read.</summary>
    public IQueryable<Dictionary<string, object>> Scoped(IQueryable<Dictionary<string, object>> query, string entity) =>
        Permissions is null ? query : ReadAccess.Apply(query, Permissions, Metadata.Get(entity), context);

    /// <summary>A field to filter, sort, group or aggregate by; the principal must be able to read it.</summary>
    public QueryColumn Column(EntityDefinition entity, string name)
    {
        var column = QueryColumn.Resolve(entity, name);
        if (column.Field is not null)
        {
            Permissions?.EnsureReadable(entity.Name, name);
        }

        return column;
    }

    /// <summary>
    /// A value of the live <paramref name="target"/> record a lookup points at, as a correlated subquery:
    /// (SELECT value FROM target t WHERE t.id = lookupId AND t.deleted_at IS NULL LIMIT 1), null
    /// when it points nowhere or at a record the principal may not read.
    /// </summary>
    public Expression RelatedValue(EntityDefinition target, Expression lookupId, Func<Expression, Expression> value, Type type)
    {
        var related = Expression.Parameter(typeof(Dictionary<string, object>), "related");
        var joins = Expression.AndAlso(
            Expression.Equal(Expression.Convert(PredicateBuilder.Column(related, RecordColumns.Id, typeof(Guid)), typeof(Guid?)), lookupId),
            PredicateBuilder.IsNull(PredicateBuilder.Column(related, RecordColumns.DeletedAt, typeof(DateTime?))));
        var selected = value(related);
        var selector = Expression.Lambda(selected.Type == type ? selected : Expression.Convert(selected, type), related);
        var filtered = Expression.Call(QueryableWhere.MakeGenericMethod(typeof(Dictionary<string, object>)), Root(target.Name),
            Expression.Quote(Expression.Lambda<Func<Dictionary<string, object>, bool>>(joins, related)));
        var projected = Expression.Call(QueryableSelect.MakeGenericMethod(typeof(Dictionary<string, object>), type), filtered, Expression.Quote(selector));
        return Expression.Call(QueryableFirstOrDefault.MakeGenericMethod(type), projected);
    }

    public static QueryContext For(CrmSession session, TenantDbContext context, CrmEngineOptions options, TimeProvider time) =>
        new(session.Metadata, context, time.UtcNow(), RelativeDateRange.FindZone(options.TimeZone, TimeZoneInfo.Utc, "timeZone"), session.Permissions);

    private static MethodInfo GenericQueryable(string name, Type lambdaShape) =>
        typeof(Queryable).GetMethods().Single(m => m.Name == name && m.GetParameters().Length == 2
            && m.GetParameters()[1].ParameterType.GetGenericArguments()[0].GetGenericArguments().Length == lambdaShape.GetGenericArguments()[0].GetGenericArguments().Length);
}
