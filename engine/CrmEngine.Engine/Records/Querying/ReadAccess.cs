using System.Linq.Expressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Sharing;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The rows of an entity a principal may read, as a predicate every query carries: lists, counts,
/// aggregates, the subqueries behind filters and sorts through lookups and inverse lists. It tests the
/// owner column (own, team), the organization lookups (external users) and, for a caller something
/// is shared with, the shares (<see cref="RecordReach"/>). Rows outside it simply do not exist for that principal.
/// </summary>
internal static class ReadAccess
{
    /// <summary>The predicate, or null when the principal reads every record; refuses when it reads none.</summary>
    public static Expression<Func<Dictionary<string, object>, bool>>? Scope(Permissions permissions, EntityDefinition entity, TenantDbContext db)
    {
        var scope = permissions.Scope(entity.Name, RecordAction.Read);
        if (scope == AccessScope.All)
        {
            return null;
        }

        if (scope == AccessScope.None)
        {
            throw Refused(entity.Name);
        }

        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        var owner = PredicateBuilder.Column(row, RecordColumns.OwnerId, typeof(Guid?));
        var reach = scope == AccessScope.Team
            ? PredicateBuilder.In(owner, permissions.TeamReach.Select(id => (Guid?)id).ToList())
            : Expression.Equal(owner, PredicateBuilder.Parameter((Guid?)permissions.Principal.UserId, typeof(Guid?)));
        if (scope == AccessScope.Organization)
        {
            reach = Expression.OrElse(reach, RecordReach.Organization(permissions, entity, row));
        }

        if (RecordReach.Shared(permissions, entity, db, row) is { } shared)
        {
            reach = Expression.OrElse(reach, shared);
        }

        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(reach, row);
    }

    /// <summary>Whether one record is readable by its own columns (for reads that fetched it already); shares need <see cref="RecordReach.ReadableAsync"/>.</summary>
    public static bool Allows(Permissions permissions, RecordData record) => RecordReach.Readable(permissions, record);

    public static bool CanReadAny(Permissions permissions, string entity) => permissions.Scope(entity, RecordAction.Read) != AccessScope.None;

    public static CrmException Refused(string entity) => new(ErrorCodes.Forbidden, $"You have no right to read {entity} records.");

    public static IQueryable<Dictionary<string, object>> Apply(IQueryable<Dictionary<string, object>> query, Permissions permissions, EntityDefinition entity, TenantDbContext db) =>
        Scope(permissions, entity, db) is { } scope ? query.Where(scope) : query;
}
