using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>Per tenant: when each plugin's seed data went in.</summary>
public sealed class PluginStateRow
{
    public required string PluginId { get; set; }

    public DateTime? SeededAt { get; set; }

    /// <summary>The from and to of an upgrade in progress ("1.0.0>2.0.0"), set while its checkpoint is kept (since version 3).</summary>
    public string? Upgrade { get; set; }

    /// <summary>The checkpoint the upgrade in progress last saved (since version 3).</summary>
    public string? UpgradeCheckpoint { get; set; }
}

/// <summary>Per tenant: the last due time each plugin job ran for; claiming a run moves it (once, even across hosts).</summary>
public sealed class PluginJobRow
{
    public required string PluginId { get; set; }

    public required string Job { get; set; }

    public DateTime LastDueAt { get; set; }

    /// <summary>The due time of a run that started and has not finished: set while a host runs it, or left by one that died (since version 2).</summary>
    public DateTime? RunningDueAt { get; set; }
}

/// <summary>
/// The plugin host's tables in every tenant store. Version 2 added the run a job is in the middle
/// of (crm_plugin_job.running_due_at), so a run whose host died is run again by another; version 3
/// the checkpoint of a plugin upgrade in progress (crm_plugin_state.upgrade, upgrade_checkpoint).
/// </summary>
public sealed class PluginSystemTables : ISystemTables
{
    public string Name => "plugins";

    public int Version => 3;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<PluginStateRow>(b =>
        {
            b.ToTable("crm_plugin_state");
            b.HasKey(x => x.PluginId);
            b.Property(x => x.PluginId).HasColumnName("plugin_id");
            b.Property(x => x.SeededAt).HasColumnName("seeded_at");
            if (version >= 3)
            {
                b.Property(x => x.Upgrade).HasColumnName("upgrade");
                b.Property(x => x.UpgradeCheckpoint).HasColumnName("upgrade_checkpoint");
            }
            else
            {
                b.Ignore(x => x.Upgrade);
                b.Ignore(x => x.UpgradeCheckpoint);
            }
        });
        builder.Entity<PluginJobRow>(b =>
        {
            b.ToTable("crm_plugin_job");
            b.HasKey(x => new { x.PluginId, x.Job });
            b.Property(x => x.PluginId).HasColumnName("plugin_id");
            b.Property(x => x.Job).HasColumnName("job");
            b.Property(x => x.LastDueAt).HasColumnName("last_due_at").IsConcurrencyToken();
            if (version >= 2)
            {
                b.Property(x => x.RunningDueAt).HasColumnName("running_due_at");
            }
            else
            {
                b.Ignore(x => x.RunningDueAt);
            }
        });
    }
}
