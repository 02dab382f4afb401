using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Rules.Storage;

/// <summary>
/// The rules' tables in every tenant store: rules and their versions, the run log, the markers that
/// make after-rules run once per change, and the notifications rules send. Version 2 added the
/// progress of a running scheduled tick (running_tick, tick_resume_after), so another host can
/// finish a tick whose host died.
/// </summary>
public sealed class RuleTables : ISystemTables
{
    public string Name => "rules";

    public int Version => 2;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<RuleRow>(b =>
        {
            b.ToTable("crm_rule");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.ScheduleTick).IsConcurrencyToken();
            if (version < 2)
            {
                b.Ignore(x => x.RunningTick);
                b.Ignore(x => x.TickResumeAfter);
            }

            // A deleted rule's name may be taken again.
            b.HasIndex(x => x.Name).IsUnique().HasFilter("deleted_at IS NULL");
        });
        builder.Entity<RuleVersionRow>(b =>
        {
            b.ToTable("crm_rule_version");
            b.HasKey(x => new { x.RuleId, x.Version });
        });
        builder.Entity<RuleRunRow>(b =>
        {
            b.ToTable("crm_rule_run");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.RuleId, x.At });
            b.HasIndex(x => x.At);
        });
        builder.Entity<RuleEventDoneRow>(b =>
        {
            b.ToTable("crm_rule_event_done");
            b.HasKey(x => new { x.RuleId, x.OutboxSeq });
            b.HasIndex(x => x.At);
        });
        builder.Entity<NotificationRow>(b =>
        {
            b.ToTable("crm_notification");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.UserId, x.At });
        });
    }
}
