using System.Linq.Expressions;
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
    /// <summary>Whose rights the query runs with; null for the engine's own checks (validation), which see everything.</summary>
    public Permissions? Permissions { get; } = permissions;

    public MetadataSnapshot Metadata { get; } = metadata;

    public DateTime UtcNow { get; } = utcNow;

    public TimeZoneInfo TimeZone { get; } = timeZone;

    /// <summary>The records of another entity the principal may read, as an expression EF turns into a subquery.</summary>
    public Expression Root(string entity) => Scoped(context.Records(entity), entity).Expression;

    /// <summary>A query of <paramref name="entity"/> narrowed to the records the principal may read.</summary>
    public IQueryable<Dictionary<string, object>> Scoped(IQueryable<Dictionary<string, object>> query, string entity) =>
        Permissions is null ? query : ReadAccess.Apply(query, Permissions, entity);

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

    public static QueryContext For(CrmSession session, TenantDbContext context, CrmEngineOptions options) =>
        new(session.Metadata, context, Clock.UtcNow(), RelativeDateRange.FindZone(options.TimeZone, TimeZoneInfo.Utc, "timeZone"), session.Permissions);
}
