using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Tenancy;

/// <summary>A tenant and where its store lives.</summary>
public sealed class TenantRow
{
    public required string Id { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>The store's location: for SQLite, a file path relative to the data directory.</summary>
    public required string Store { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// An API key. Only a SHA-256 hash of its secret is kept; the key itself is shown once. The key id
/// is the public half and finds the row; the tenant comes from the row.
/// </summary>
public sealed class ApiKeyRow
{
    public required string Id { get; set; }

    public required string TenantId { get; set; }

    public Guid UserId { get; set; }

    public required string Name { get; set; }

    public required string SecretHash { get; set; }

    /// <summary>Comma-separated role names.</summary>
    public required string Roles { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>The catalog: which tenants exist, where their data lives, and the keys that reach them.</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<TenantRow> Tenants => Set<TenantRow>();

    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TenantRow>(b =>
        {
            b.ToTable("tenants");
            b.HasKey(x => x.Id);
        });
        modelBuilder.Entity<ApiKeyRow>(b =>
        {
            b.ToTable("api_keys");
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.TenantId);
            b.HasOne<TenantRow>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
