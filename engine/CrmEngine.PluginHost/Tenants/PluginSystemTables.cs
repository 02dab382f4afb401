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

/// <summary>One run of a plugin job on the tenant, scheduled or started by an admin: the job run history.</summary>
public sealed class PluginJobRunRow
{
    public Guid Id { get; set; }

    public required string PluginId { get; set; }

    public required string Job { get; set; }

    /// <summary>"schedule" or "manual".</summary>
    public required string Trigger { get; set; }

    /// <summary>The due time the run is for (a manual run's is when it was asked for).</summary>
    public DateTime ScheduledAt { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>"running", "succeeded", "failed", or "interrupted" (its host stopped or died first).</summary>
    public required string Outcome { get; set; }

    public string? ErrorCode { get; set; }

    /// <summary>The client-safe message: the plugin's own refusal, or PLUGIN_ERROR's text with a correlation id; never exception text.</summary>
    public string? Error { get; set; }

    /// <summary>The machine that ran it.</summary>
    public required string Host { get; set; }

    /// <summary>A copy, to hand out while the run goes on and this one changes.</summary>
    public PluginJobRunRow Copy() => (PluginJobRunRow)MemberwiseClone();
}

/// <summary>A tenant's value of a setting a plugin declares; secrets are kept protected (ASP.NET Core Data Protection).</summary>
public sealed class PluginSettingRow
{
    public required string PluginId { get; set; }

    public required string Name { get; set; }

    /// <summary>The value as invariant text, or its protected form when <see cref="IsProtected"/>.</summary>
    public required string Value { get; set; }

    public bool IsProtected { get; set; }

    public DateTime UpdatedAt { get; set; }

    public Guid? UpdatedBy { get; set; }
}

/// <summary>
/// The plugin host's tables in every tenant store. Version 2 added the run a job is in the middle
/// of (crm_plugin_job.running_due_at), so a run whose host died is run again by another. Version 3
/// added the job run history (crm_plugin_job_run) and the tenant's plugin settings (crm_plugin_setting). Version 4 added
/// the checkpoint of a plugin upgrade in progress (crm_plugin_state.upgrade, upgrade_checkpoint).
/// </summary>
public sealed class PluginSystemTables : ISystemTables
{
    public string Name => "plugins";

    public int Version => 4;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<PluginStateRow>(b =>
        {
            b.ToTable("crm_plugin_state");
            b.HasKey(x => x.PluginId);
            if (version < 4)
            {
                b.Ignore(x => x.Upgrade);
                b.Ignore(x => x.UpgradeCheckpoint);
            }
        });
        builder.Entity<PluginJobRow>(b =>
        {
            b.ToTable("crm_plugin_job");
            b.HasKey(x => new { x.PluginId, x.Job });
            b.Property(x => x.LastDueAt).IsConcurrencyToken();
            if (version < 2)
            {
                b.Ignore(x => x.RunningDueAt);
            }
        });
        if (version >= 3)
        {
            ConfigureVersion3(builder);
        }
    }

    private static void ConfigureVersion3(ModelBuilder builder)
    {
        builder.Entity<PluginJobRunRow>(b =>
        {
            b.ToTable("crm_plugin_job_run");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.PluginId, x.Job, x.StartedAt });
            b.HasIndex(x => x.StartedAt);
        });
        builder.Entity<PluginSettingRow>(b =>
        {
            b.ToTable("crm_plugin_setting");
            b.HasKey(x => new { x.PluginId, x.Name });
        });
    }
}
