using System.Globalization;
using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Import.Mapping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Import.Jobs;

/// <summary>
/// The import jobs' rows in the tenant's store: made when a file is accepted, updated once per batch
/// with progress and the refused rows (up to <see cref="ImportOptions.MaxReportedRows"/> of them),
/// closed when the job ends. A job is seen by the user who started it and by admins.
/// </summary>
public sealed class ImportJobStore(IOptions<ImportOptions> options, TimeProvider time)
{
    public async Task AddAsync(CrmSession session, ImportJobRow job, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        context.Set<ImportJobRow>().Add(job);
        await context.SaveChangesAsync(cancellationToken);
    }

    public Task StartedAsync(CrmSession session, Guid id, IReadOnlyList<string> headers, IReadOnlyList<string> unmapped, CancellationToken cancellationToken) =>
        UpdateAsync(session, id, job =>
        {
            job.Status = nameof(ImportJobStatus.Running);
            job.StartedAt = job.HeartbeatAt = time.GetUtcNow().UtcDateTime;
            job.Headers = JsonSerializer.Serialize(headers);
            job.UnmappedColumns = unmapped.Count == 0 ? null : string.Join(", ", unmapped);
        }, cancellationToken);

    /// <summary>One batch's progress and refused rows, in one transaction.</summary>
    internal async Task ProgressAsync(CrmSession session, Guid id, int read, BatchOutcome outcome, ColumnMap map, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var job = await context.Set<ImportJobRow>().AsTracking().SingleAsync(j => j.Id == id, cancellationToken);
        var seq = await context.Set<ImportErrorRow>().Where(e => e.JobId == id).MaxAsync(e => (long?)e.Seq, cancellationToken) ?? 0;
        foreach (var row in outcome.Refused.Take((int)Math.Max(0, options.Value.MaxReportedRows - job.RowsRefused)))
        {
            var cells = JsonSerializer.Serialize(row.Row.Cells.Select(CellText));
            foreach (var error in row.Errors)
            {
                context.Set<ImportErrorRow>().Add(new ImportErrorRow
                {
                    JobId = id,
                    Seq = ++seq,
                    RowNumber = row.Row.Number,
                    ColumnName = map.Columns.FirstOrDefault(c => c.Field.Name == error.Field)?.Header ?? error.Field,
                    Code = error.Code,
                    Message = error.Message,
                    Cells = cells,
                });
                cells = null;
            }
        }

        job.RowsRead += read;
        job.RowsCreated += outcome.Created;
        job.RowsUpdated += outcome.Updated;
        job.RowsRefused += outcome.Refused.Count;
        job.HeartbeatAt = time.GetUtcNow().UtcDateTime;
        await context.SaveChangesAsync(cancellationToken);
    }

    public Task FinishedAsync(CrmSession session, Guid id, CrmError? failure, CancellationToken cancellationToken) =>
        UpdateAsync(session, id, job =>
        {
            job.Status = failure is null ? nameof(ImportJobStatus.Completed) : nameof(ImportJobStatus.Failed);
            job.ErrorCode = failure?.Code;
            job.ErrorMessage = failure?.Message;
            job.FinishedAt = time.GetUtcNow().UtcDateTime;
        }, cancellationToken);

    /// <summary>The job, when the caller started it or is an admin; null otherwise, as for an id that does not exist.</summary>
    public async Task<ImportJobRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var job = await context.Set<ImportJobRow>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        return job is not null && (session.Permissions.IsAdmin || job.CreatedBy == session.Principal.UserId) ? job : null;
    }

    /// <summary>The caller's jobs (every job for an admin), newest first.</summary>
    public async Task<IReadOnlyList<ImportJobRow>> ListAsync(CrmSession session, int first, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var user = session.Principal.UserId;
        var all = session.Permissions.IsAdmin;
        return await context.Set<ImportJobRow>().AsNoTracking().Where(j => all || j.CreatedBy == user)
            .OrderByDescending(j => j.CreatedAt).Take(Math.Clamp(first, 1, 100)).ToListAsync(cancellationToken);
    }

    /// <summary>A page of a job's errors, in row order.</summary>
    public async Task<IReadOnlyList<ImportErrorRow>> ErrorsAsync(CrmSession session, Guid id, int first, long after, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        return await context.Set<ImportErrorRow>().AsNoTracking().Where(e => e.JobId == id && e.Seq > after)
            .OrderBy(e => e.Seq).Take(first).ToListAsync(cancellationToken);
    }

    private async Task UpdateAsync(CrmSession session, Guid id, Action<ImportJobRow> change, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var job = await context.Set<ImportJobRow>().AsTracking().SingleAsync(j => j.Id == id, cancellationToken);
        change(job);
        await context.SaveChangesAsync(cancellationToken);
    }

    private static string? CellText(object? cell) => cell switch
    {
        null => null,
        DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString(),
    };
}
