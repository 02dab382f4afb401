using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// A unit of work on one tenant's store, over a model built from that tenant's metadata. Short
/// lived: one per operation, never shared between concurrent resolvers.
/// </summary>
public sealed class TenantDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The records of an entity, as property bags keyed by column name.</summary>
    public DbSet<Dictionary<string, object>> Records(string entity) => Set<Dictionary<string, object>>(entity);
}
