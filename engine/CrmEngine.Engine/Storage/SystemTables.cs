using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Storage;

/// <summary>One row per entity definition (the JSON of <see cref="Metadata.EntityDefinition"/>).</summary>
public sealed class MetadataEntityRow
{
    public required string Name { get; set; }

    public required string Definition { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>The single row holding the tenant's metadata version.</summary>
public sealed class MetadataStateRow
{
    public int Id { get; set; }

    public long Version { get; set; }

    /// <summary>JSON list of the enabled plugins (<see cref="Metadata.EnabledPlugin"/>).</summary>
    public string? Plugins { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>What each metadata version changed, by whom: the admin's change log.</summary>
public sealed class MetadataChangeRow
{
    public long Version { get; set; }

    public DateTime At { get; set; }

    public Guid? Actor { get; set; }

    public required string Summary { get; set; }
}

/// <summary>One write to one record: who, when, and the old and new value of every changed field.</summary>
public sealed class AuditRow
{
    public Guid Id { get; set; }

    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    public required string Operation { get; set; }

    public long Version { get; set; }

    public DateTime At { get; set; }

    public Guid? Actor { get; set; }

    /// <summary>JSON array of { field, old, new }.</summary>
    public required string Changes { get; set; }

    /// <summary>Why the engine made this write for its actor, when it was part of a larger operation (<c>merge:&lt;id&gt;</c>); null for a write of its own.</summary>
    public string? Cause { get; set; }
}

/// <summary>
/// A committed change waiting for its "after" work (plugin after-hooks, after-rules, webhooks).
/// Written in the same transaction as the change, so committed changes are never missed.
/// </summary>
public sealed class OutboxRow
{
    public long Seq { get; set; }

    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    public required string Operation { get; set; }

    public long Version { get; set; }

    public DateTime At { get; set; }

    public Guid? Actor { get; set; }

    public required string Changes { get; set; }

    /// <summary>How deep in a cascade of writes this change was made (1 for a direct write).</summary>
    public int Depth { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public DateTime? ProcessedAt { get; set; }

    /// <summary>
    /// The handlers (<see cref="Records.Pipeline.IRecordChangeHandler.Name"/>, space-separated) that
    /// handled the change while another failed it: a retry runs only the others.
    /// </summary>
    public string? HandledBy { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// The writing transaction's id where transactions commit concurrently (PostgreSQL), so the changes
    /// feed hands out a change only once every transaction that could commit before it has ended
    /// (<see cref="IStorageProvider.TransactionIdDefaultSql"/>); 0 where one writer commits at a time (SQLite).
    /// </summary>
    public long Xid { get; set; }
}

/// <summary>Which version of each group of system tables a tenant store has.</summary>
public sealed class SystemSchemaRow
{
    public required string Name { get; set; }

    public int Version { get; set; }
}

/// <summary>A named counter (auto-number fields).</summary>
public sealed class SequenceRow
{
    public required string Name { get; set; }

    public long Value { get; set; }
}

/// <summary>
/// The engine's core tables in every tenant store: metadata, audit, outbox, sequences and the
/// system schema versions themselves.
/// </summary>
public sealed class CoreSystemTables(IStorageProvider provider) : ISystemTables
{
    /// <summary>
    /// 2: the outbox's pending rows have an index of their own, in commit order. 3: the outbox records
    /// which handlers handled a change that another failed. 4: the outbox records each change's
    /// transaction and is indexed per entity in the changes feed's order. 5: an audit row may name the
    /// operation that caused it (a merge). 6: the outbox's index on <c>processed_at</c> is gone: no
    /// query reads through it (the dispatcher reads the pending index, the pruner a handful of rows an
    /// hour), and every change moved its entry twice, a tenth of the pages a create wrote.
    /// </summary>
    public const int CurrentVersion = 6;

    public string Name => "core";

    public int Version => CurrentVersion;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<SystemSchemaRow>(b =>
        {
            b.ToTable("crm_system_schema");
            b.HasKey(x => x.Name);
        });
        builder.Entity<MetadataEntityRow>(b =>
        {
            b.ToTable("crm_metadata_entity");
            b.HasKey(x => x.Name);
        });
        builder.Entity<MetadataStateRow>(b =>
        {
            b.ToTable("crm_metadata_state");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Version).IsConcurrencyToken();
        });
        builder.Entity<MetadataChangeRow>(b =>
        {
            b.ToTable("crm_metadata_change");
            b.HasKey(x => x.Version);
            b.Property(x => x.Version).ValueGeneratedNever();
        });
        builder.Entity<AuditRow>(b =>
        {
            b.ToTable("crm_audit");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.Entity, x.RecordId, x.Version });
            if (version < 5)
            {
                b.Ignore(x => x.Cause);
            }
        });
        builder.Entity<OutboxRow>(b =>
        {
            b.ToTable("crm_outbox");
            b.HasKey(x => x.Seq);
            b.Property(x => x.Seq).ValueGeneratedOnAdd();
            if (version < 3)
            {
                b.Ignore(x => x.HandledBy);
            }

            if (version < 4)
            {
                b.Ignore(x => x.Xid);
            }
            else
            {
                var xid = b.Property(x => x.Xid);
                if (provider.TransactionIdDefaultSql is { } sql)
                {
                    xid.HasDefaultValueSql(sql);
                }

                // The changes feed pages through one entity's changes in (xid, seq) order.
                b.HasIndex(x => new { x.Entity, x.Xid, x.Seq }).HasDatabaseName("IX_crm_outbox_changes");
            }

            if (version < 6)
            {
                b.HasIndex(x => x.ProcessedAt);
            }

            if (version >= 2)
            {
                // The dispatcher reads pending rows in commit order; with only the index above it
                // sorted every pending row for each batch, which made a backlog slower to clear the
                // longer it grew.
                b.HasIndex(x => x.Seq).HasFilter("processed_at IS NULL").HasDatabaseName("IX_crm_outbox_pending");
            }
        });
        builder.Entity<SequenceRow>(b =>
        {
            b.ToTable("crm_sequence");
            b.HasKey(x => x.Name);
        });
    }
}
