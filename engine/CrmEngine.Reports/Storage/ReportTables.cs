using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Reports.Storage;

/// <summary>The reports' tables in every tenant store.</summary>
public sealed class ReportTables : ISystemTables
{
    public string Name => "reports";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<ReportRow>(b =>
        {
            b.ToTable("crm_report");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.OwnerId, x.Name });
        });
    }
}
