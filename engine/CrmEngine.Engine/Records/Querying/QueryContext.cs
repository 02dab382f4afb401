using System.Linq.Expressions;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// What building a query needs beyond the filter itself: the tenant's metadata, the query roots of
/// other entities (for conditions through lookups and inverse lists, which become correlated
/// subqueries), and the clock and time zone relative date ranges are computed in.
/// </summary>
public sealed class QueryContext(MetadataSnapshot metadata, TenantDbContext context, DateTime utcNow, TimeZoneInfo timeZone)
{
    public MetadataSnapshot Metadata { get; } = metadata;

    public DateTime UtcNow { get; } = utcNow;

    public TimeZoneInfo TimeZone { get; } = timeZone;

    /// <summary>The records of another entity, as an expression EF turns into a subquery.</summary>
    public Expression Root(string entity) => context.Records(entity).AsQueryable().Expression;

    public static QueryContext For(CrmSession session, TenantDbContext context, CrmEngineOptions options) =>
        new(session.Metadata, context, Clock.UtcNow(), RelativeDateRange.FindZone(options.TimeZone, TimeZoneInfo.Utc, "timeZone"));
}
