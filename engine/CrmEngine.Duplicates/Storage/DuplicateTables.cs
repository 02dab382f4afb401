using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Duplicates.Storage;

/// <summary>The duplicate rules' tables in every tenant store: the rules, their match keys, scan jobs and duplicate sets.</summary>
public sealed class DuplicateTables : ISystemTables
{
    public string Name => "duplicates";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<DuplicateRuleRow>(b =>
        {
            b.ToTable("crm_duplicate_rule");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => x.Entity);
        });
        builder.Entity<DuplicateKeyRow>(b =>
        {
            b.ToTable("crm_duplicate_key");
            b.HasKey(x => new { x.RuleId, x.RecordId });
            // The check's one lookup: which records have this rule's key.
            b.HasIndex(x => new { x.RuleId, x.Key });
        });
        builder.Entity<DuplicateJobRow>(b =>
        {
            b.ToTable("crm_duplicate_job");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => x.CreatedAt);
        });
        builder.Entity<DuplicateSetRow>(b =>
        {
            b.ToTable("crm_duplicate_set");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.RuleId, x.Status, x.Key });
        });
    }
}
