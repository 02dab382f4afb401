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
            b.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            b.Property(x => x.Name).HasColumnName("name");
            b.Property(x => x.CurrentVersion).HasColumnName("current_version");
            b.Property(x => x.Enabled).HasColumnName("enabled");
            b.Property(x => x.CreatedAt).HasColumnName("created_at");
            b.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            b.Property(x => x.DeletedAt).HasColumnName("deleted_at");
            b.Property(x => x.NextRunAt).HasColumnName("next_run_at");
            b.Property(x => x.ScheduleTick).HasColumnName("schedule_tick").IsConcurrencyToken();
            if (version >= 2)
            {
                b.Property(x => x.RunningTick).HasColumnName("running_tick");
                b.Property(x => x.TickResumeAfter).HasColumnName("tick_resume_after");
            }
            else
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
            b.Property(x => x.RuleId).HasColumnName("rule_id");
            b.Property(x => x.Version).HasColumnName("version");
            b.Property(x => x.Name).HasColumnName("name");
            b.Property(x => x.Entity).HasColumnName("entity");
            b.Property(x => x.Triggers).HasColumnName("triggers");
            b.Property(x => x.Condition).HasColumnName("condition");
            b.Property(x => x.Script).HasColumnName("script");
            b.Property(x => x.Schedule).HasColumnName("schedule");
            b.Property(x => x.TimeZone).HasColumnName("time_zone");
            b.Property(x => x.Filter).HasColumnName("filter");
            b.Property(x => x.Description).HasColumnName("description");
            b.Property(x => x.RunOrder).HasColumnName("run_order");
            b.Property(x => x.Author).HasColumnName("author");
            b.Property(x => x.At).HasColumnName("at");
            b.Property(x => x.Note).HasColumnName("note");
        });
        builder.Entity<RuleRunRow>(b =>
        {
            b.ToTable("crm_rule_run");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            b.Property(x => x.RuleId).HasColumnName("rule_id");
            b.Property(x => x.RuleName).HasColumnName("rule_name");
            b.Property(x => x.Version).HasColumnName("version");
            b.Property(x => x.Entity).HasColumnName("entity");
            b.Property(x => x.RecordId).HasColumnName("record_id");
            b.Property(x => x.Trigger).HasColumnName("trigger");
            b.Property(x => x.Outcome).HasColumnName("outcome");
            b.Property(x => x.ErrorCode).HasColumnName("error_code");
            b.Property(x => x.Error).HasColumnName("error");
            b.Property(x => x.DurationMs).HasColumnName("duration_ms");
            b.Property(x => x.Statements).HasColumnName("statements");
            b.Property(x => x.At).HasColumnName("at");
            b.Property(x => x.Log).HasColumnName("log");
            b.HasIndex(x => new { x.RuleId, x.At });
            b.HasIndex(x => x.At);
        });
        builder.Entity<RuleEventDoneRow>(b =>
        {
            b.ToTable("crm_rule_event_done");
            b.HasKey(x => new { x.RuleId, x.OutboxSeq });
            b.Property(x => x.RuleId).HasColumnName("rule_id");
            b.Property(x => x.OutboxSeq).HasColumnName("outbox_seq");
            b.Property(x => x.At).HasColumnName("at");
            b.HasIndex(x => x.At);
        });
        builder.Entity<NotificationRow>(b =>
        {
            b.ToTable("crm_notification");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            b.Property(x => x.UserId).HasColumnName("user_id");
            b.Property(x => x.Message).HasColumnName("message");
            b.Property(x => x.RuleName).HasColumnName("rule_name");
            b.Property(x => x.Entity).HasColumnName("entity");
            b.Property(x => x.RecordId).HasColumnName("record_id");
            b.Property(x => x.At).HasColumnName("at");
            b.Property(x => x.ReadAt).HasColumnName("read_at");
            b.HasIndex(x => new { x.UserId, x.At });
        });
    }
}
