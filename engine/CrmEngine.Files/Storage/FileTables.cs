using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Files.Storage;

/// <summary>The files' metadata table in every tenant store.</summary>
public sealed class FileTables : ISystemTables
{
    public string Name => "files";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version) =>
        builder.Entity<FileRow>(b =>
        {
            b.ToTable("crm_file");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.TenantId).HasMaxLength(64);
            b.Property(x => x.Entity).HasMaxLength(64);
            b.Property(x => x.Field).HasMaxLength(64);
            b.Property(x => x.Name).HasMaxLength(255);
            b.Property(x => x.ContentType).HasMaxLength(100);
            b.Property(x => x.Sha256).HasMaxLength(64);
            b.Property(x => x.State).HasMaxLength(24);
            // Files follow their record: a delete, restore or purge finds them by it.
            b.HasIndex(x => new { x.Entity, x.RecordId });
        });
}
