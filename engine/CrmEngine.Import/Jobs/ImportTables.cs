using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Import.Jobs;

/// <summary>The states of an import job, in order.</summary>
public enum ImportJobStatus
{
    /// <summary>Uploaded, waiting for a slot on the host that holds its file.</summary>
    Queued,
    Running,

    /// <summary>Every row was read; the refused ones are in the error report.</summary>
    Completed,

    /// <summary>The file could not be read to its end, or the host stopped; rows written before that are kept.</summary>
    Failed,
}

/// <summary>One import: what was asked, which host runs it, and how far it got. Updated once per batch.</summary>
public sealed class ImportJobRow
{
    public Guid Id { get; set; }

    public required string Entity { get; set; }

    public required string Mode { get; set; }

    public string? UpsertBy { get; set; }

    public bool DryRun { get; set; }

    /// <summary>JSON of the column mapping and lookup fields the client gave.</summary>
    public string? Options { get; set; }

    public required string FileName { get; set; }

    public required string Format { get; set; }

    public long FileBytes { get; set; }

    public required string Status { get; set; }

    /// <summary>The host holding the upload: only it can run the job.</summary>
    public required string ClaimedBy { get; set; }

    public long RowsRead { get; set; }

    public long RowsCreated { get; set; }

    public long RowsUpdated { get; set; }

    public long RowsRefused { get; set; }

    /// <summary>JSON array of the file's headers, for the error report.</summary>
    public string? Headers { get; set; }

    /// <summary>Headers no field took, comma-separated.</summary>
    public string? UnmappedColumns { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    /// <summary>When the running host last reported progress: a job long silent is taken for interrupted.</summary>
    public DateTime? HeartbeatAt { get; set; }

    public DateTime? FinishedAt { get; set; }
}

/// <summary>A refused row of an import: its cells as the file had them and why it was refused (one row per error).</summary>
public sealed class ImportErrorRow
{
    public Guid JobId { get; set; }

    /// <summary>The order of errors within the job.</summary>
    public long Seq { get; set; }

    /// <summary>The row's number in the file, the header being row 1.</summary>
    public int RowNumber { get; set; }

    /// <summary>The column the error is about, when it is about one.</summary>
    public string? ColumnName { get; set; }

    public required string Code { get; set; }

    public required string Message { get; set; }

    /// <summary>JSON array of the row's cells as text, on the row's first error only.</summary>
    public string? Cells { get; set; }
}

/// <summary>The import jobs' tables (crm_import_job, crm_import_error), in every tenant store.</summary>
public sealed class ImportSystemTables : ISystemTables
{
    public string Name => "import";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<ImportJobRow>(b =>
        {
            b.ToTable("crm_import_job");
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.CreatedAt);
        });
        builder.Entity<ImportErrorRow>(b =>
        {
            b.ToTable("crm_import_error");
            b.HasKey(x => new { x.JobId, x.Seq });
        });
    }
}
