using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records.Merging;

/// <summary>One merge of records: which, by whom, and what it changed, so it can be undone (<see cref="MergePlan"/>).</summary>
public sealed class MergeRow
{
    public Guid Id { get; set; }

    public required string Entity { get; set; }

    public Guid MasterId { get; set; }

    public DateTime At { get; set; }

    public Guid? Actor { get; set; }

    /// <summary>JSON of the <see cref="MergePlan"/>: the duplicates, the master's values before and after, the records re-parented.</summary>
    public required string Plan { get; set; }

    public DateTime? UndoneAt { get; set; }
}

/// <summary>A record merged into another (its master) and deleted: what <c>mergedInto</c> answers, until the merge is undone.</summary>
public sealed class MergedRecordRow
{
    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    public Guid MasterId { get; set; }

    public Guid MergeId { get; set; }
}

/// <summary>The merge tables of every tenant store: <c>crm_merge</c> and <c>crm_merged_record</c>.</summary>
public sealed class MergeSystemTables : Storage.ISystemTables
{
    public string Name => "merge";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<MergeRow>(b =>
        {
            b.ToTable("crm_merge");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
        });
        builder.Entity<MergedRecordRow>(b =>
        {
            b.ToTable("crm_merged_record");
            b.HasKey(x => new { x.Entity, x.RecordId });
        });
    }
}

/// <summary>Reads which record a merged one was merged into.</summary>
public static class MergedRecords
{
    /// <summary>The master <paramref name="recordId"/> was merged into, while that merge stands; null for any other record.</summary>
    public static async Task<Guid?> MasterOfAsync(CrmSession session, string entity, Guid recordId, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        return await context.Set<MergedRecordRow>()
            .Where(m => m.Entity == entity && m.RecordId == recordId)
            .Select(m => (Guid?)m.MasterId)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
