using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Documents.Storage;

/// <summary>The document templates' table in every tenant store.</summary>
public sealed class DocumentTables : ISystemTables
{
    public string Name => "documents";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version) =>
        builder.Entity<DocumentTemplateRow>(b =>
        {
            b.ToTable("crm_document_template");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Name).HasMaxLength(100);
            b.Property(x => x.Language).HasMaxLength(8);
            b.Property(x => x.Entity).HasMaxLength(64);
            b.Property(x => x.Field).HasMaxLength(64);
            b.Property(x => x.Format).HasMaxLength(8);
            b.HasIndex(x => new { x.Name, x.Language }).IsUnique();
        });
}
