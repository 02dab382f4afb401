using System.Linq.Expressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The rows of an entity a principal may read, as a predicate on the owner column that every query
/// carries: lists, counts, aggregates, the subqueries behind filters and sorts through lookups and
/// inverse lists. Rows outside it simply do not exist for that principal.
/// </summary>
internal static class ReadAccess
{
    /// <summary>The predicate, or null when the principal reads every record; refuses when it reads none.</summary>
    public static Expression<Func<Dictionary<string, object>, bool>>? Scope(Permissions permissions, string entity)
    {
        switch (permissions.Scope(entity, RecordAction.Read))
        {
            case AccessScope.All:
                return null;
            case AccessScope.Own:
                return PredicateBuilder.ColumnEquals(RecordColumns.OwnerId, typeof(Guid?), (Guid?)permissions.Principal.UserId);
            case AccessScope.Team:
                return PredicateBuilder.ColumnIn(RecordColumns.OwnerId, permissions.TeamReach.Select(id => (Guid?)id).ToList());
            default:
                throw Refused(entity);
        }
    }

    /// <summary>Whether one record is readable (for reads that fetched it already).</summary>
    public static bool Allows(Permissions permissions, RecordData record) =>
        permissions.Covers(permissions.Scope(record.Entity.Name, RecordAction.Read), record.OwnerId);

    public static bool CanReadAny(Permissions permissions, string entity) => permissions.Scope(entity, RecordAction.Read) != AccessScope.None;

    public static CrmException Refused(string entity) => new(ErrorCodes.Forbidden, $"You have no right to read {entity} records.");

    public static IQueryable<Dictionary<string, object>> Apply(IQueryable<Dictionary<string, object>> query, Permissions permissions, string entity) =>
        Scope(permissions, entity) is { } scope ? query.Where(scope) : query;
}
