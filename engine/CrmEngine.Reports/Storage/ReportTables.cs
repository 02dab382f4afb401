using CrmEngine.Engine.Storage;
using CrmEngine.Reports.Sharing;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Reports.Storage;

/// <summary>The reports' tables in every tenant store. Version 2 added folders and sharing, and dashboards; 3 subscriptions (scheduled deliveries).</summary>
public sealed class ReportTables : ISystemTables
{
    public string Name => "reports";

    public int Version => 3;

    public const string SubscriptionTable = "crm_report_subscription";

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<ReportRow>(b =>
        {
            b.ToTable("crm_report");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.OwnerId, x.Name });
            if (version < 2)
            {
                b.Ignore(x => x.Folder);
                b.Ignore(x => x.Sharing);
            }
            else
            {
                // Reports saved before sharing existed stay private.
                b.Property(x => x.Sharing).HasDefaultValue(ReportSharing.Private.Write());
                b.HasIndex(x => x.Folder);
            }
        });
        if (version >= 2)
        {
            builder.Entity<DashboardRow>(b =>
            {
                b.ToTable("crm_dashboard");
                b.HasKey(x => x.Id);
                b.Property(x => x.Id).ValueGeneratedNever();
                b.HasIndex(x => x.Folder);
            });
        }

        if (version >= 3)
        {
            builder.Entity<ReportSubscriptionRow>(b =>
            {
                b.ToTable(SubscriptionTable);
                b.HasKey(x => x.Id);
                b.Property(x => x.Id).ValueGeneratedNever();
                b.HasIndex(x => x.ReportId);
                // The due-work probe and the scheduler's candidates look here.
                b.HasIndex(x => x.NextRunAt);
            });
        }
    }
}
