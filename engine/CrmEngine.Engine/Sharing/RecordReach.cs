using System.Linq.Expressions;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Sharing;

/// <summary>
/// What sharing and organizations add to a scope, in the two forms every read takes: a predicate
/// on the row for queries (so paging, counts and aggregates see exactly the reachable rows), and a
/// check of one loaded record. A share reaches the record it names and, through the lookups the
/// tenant marks as inheriting, the records pointing to it; an organization reaches the records whose
/// organization lookups point to it, and the organization record itself.
/// </summary>
public static class RecordReach
{
    private static readonly System.Reflection.MethodInfo QueryableContains = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.Contains) && m.GetParameters().Length == 2);

    /// <summary>Whether the record is within the scope by its own columns: its owner, or (external users) its organization.</summary>
    public static bool Covers(Permissions permissions, AccessScope scope, RecordData record) =>
        permissions.Covers(scope, record.OwnerId)
        || (scope == AccessScope.Organization && permissions.External is { } external && OrganizationColumns(permissions, record.Entity)
            .Any(column => column is null ? record.Id == external.OrganizationId : record.Row.GetValueOrDefault(column) as Guid? == external.OrganizationId));

    /// <summary>Whether one loaded record is readable by its own columns.</summary>
    public static bool Readable(Permissions permissions, RecordData record) => Covers(permissions, permissions.Scope(record.Entity.Name, RecordAction.Read), record);

    /// <summary>Whether one loaded record is readable: by its columns, or else (one query, for a caller holding shares) shared.</summary>
    public static async Task<bool> ReadableAsync(TenantDbContext db, Permissions permissions, RecordData record, CancellationToken cancellationToken) =>
        Readable(permissions, record)
        || (permissions.Scope(record.Entity.Name, RecordAction.Read) != AccessScope.None && (await SharedAsync(db, permissions, [record], toEdit: false, cancellationToken)).Count > 0);

    /// <summary>
    /// The organization part of an "organization" scope on <paramref name="row"/>: the record is the
    /// caller's organization or points to it; false for a caller of no organization.
    /// </summary>
    public static Expression Organization(Permissions permissions, EntityDefinition entity, ParameterExpression row)
    {
        if (permissions.External is not { } external)
        {
            return Expression.Constant(false);
        }

        var id = PredicateBuilder.Parameter((Guid?)external.OrganizationId, typeof(Guid?));
        return OrganizationColumns(permissions, entity)
            .Select(column => (Expression)(column is null
                ? Expression.Equal(Expression.Convert(PredicateBuilder.Column(row, RecordColumns.Id, typeof(Guid)), typeof(Guid?)), id)
                : Expression.Equal(PredicateBuilder.Column(row, column, typeof(Guid?)), id)))
            .DefaultIfEmpty(Expression.Constant(false))
            .Aggregate(Expression.OrElse);
    }

    /// <summary>
    /// The share part of a scope on <paramref name="row"/>: its id, or the target of one of its
    /// inheriting lookups, is among the records shared with the caller (uncorrelated subqueries the
    /// database runs once); null when nothing is shared with the caller.
    /// </summary>
    public static Expression? Shared(Permissions permissions, EntityDefinition entity, TenantDbContext db, ParameterExpression row)
    {
        if (!permissions.HoldsShares)
        {
            return null;
        }

        var principals = permissions.SharePrincipals;
        Expression SharedIn(string target, Expression column, Type type)
        {
            var shares = db.Set<ShareRow>().Where(s => s.Entity == target && principals.Contains(s.PrincipalId));
            var ids = type == typeof(Guid) ? shares.Select(s => s.RecordId).Expression : shares.Select(s => (Guid?)s.RecordId).Expression;
            return Expression.Call(QueryableContains.MakeGenericMethod(type), ids, column);
        }

        var shared = SharedIn(entity.Name, PredicateBuilder.Column(row, RecordColumns.Id, typeof(Guid)), typeof(Guid));
        foreach (var field in InheritingLookups(permissions, entity))
        {
            shared = Expression.OrElse(shared, SharedIn(field.LookupEntity!, PredicateBuilder.Column(row, field.ColumnName, typeof(Guid?)), typeof(Guid?)));
        }

        return shared;
    }

    /// <summary>
    /// Of <paramref name="records"/> (loaded already, outside the caller's scope by their own columns),
    /// the ids of those shared with the caller, directly or through an inheriting lookup; to edit when
    /// <paramref name="toEdit"/>. One query for them all, none when nothing is shared with the caller.
    /// </summary>
    public static async Task<IReadOnlySet<Guid>> SharedAsync(TenantDbContext db, Permissions permissions, IReadOnlyCollection<RecordData> records, bool toEdit, CancellationToken cancellationToken)
    {
        if (!permissions.HoldsShares || records.Count == 0)
        {
            return new HashSet<Guid>();
        }

        // Ids are unique across a tenant's entities, so the record ids alone find the shares; the entities are checked below.
        var reaches = records.SelectMany(r => Sources(permissions, r).Select(source => (Record: r.Id, source.Entity, source.Id))).ToList();
        var ids = reaches.Select(r => r.Id).Distinct().ToList();
        var principals = permissions.SharePrincipals;
        var shares = await db.Set<ShareRow>().AsNoTracking()
            .Where(s => ids.Contains(s.RecordId) && principals.Contains(s.PrincipalId) && (!toEdit || s.CanEdit))
            .Select(s => new { s.Entity, s.RecordId })
            .ToListAsync(cancellationToken);
        var found = shares.Select(s => (s.Entity, s.RecordId)).ToHashSet();
        return reaches.Where(r => found.Contains((r.Entity, r.Id))).Select(r => r.Record).ToHashSet();
    }

    /// <summary>A record's share sources: itself, and the records its inheriting lookups point to.</summary>
    private static IEnumerable<(string Entity, Guid Id)> Sources(Permissions permissions, RecordData record)
    {
        yield return (record.Entity.Name, record.Id);
        foreach (var field in InheritingLookups(permissions, record.Entity))
        {
            if (record.Row.GetValueOrDefault(field.ColumnName) is Guid parent)
            {
                yield return (field.LookupEntity!, parent);
            }
        }
    }

    private static IEnumerable<FieldDefinition> InheritingLookups(Permissions permissions, EntityDefinition entity) =>
        (permissions.Sharing.InheritingLookups.GetValueOrDefault(entity.Name) ?? [])
            .Select(entity.FindField).OfType<FieldDefinition>().Where(f => f.LookupEntity is not null);

    /// <summary>The columns naming the caller's organization on the entity; null stands for the id of the organization record itself.</summary>
    private static IEnumerable<string?> OrganizationColumns(Permissions permissions, EntityDefinition entity)
    {
        if (permissions.External is { } external && external.OrganizationEntity == entity.Name)
        {
            yield return null;
        }

        foreach (var name in permissions.Sharing.OrganizationLookups.GetValueOrDefault(entity.Name) ?? [])
        {
            if (entity.FindField(name) is { LookupEntity: not null } field && field.LookupEntity == permissions.External?.OrganizationEntity)
            {
                yield return field.ColumnName;
            }
        }
    }
}
