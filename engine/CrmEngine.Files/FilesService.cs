using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Files.Storage;
using CrmEngine.Files.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.Files;

/// <summary>
/// The files service: stores uploads (content in <see cref="IFileStorage"/>, metadata in crm_file),
/// finds files for callers who may see them, and attaches files to records in-process (what generated
/// documents use). Who may see a file: its uploader while it is pending; afterwards whoever may read
/// its record and field, while neither is deleted. Anyone else is answered as for a made-up id.
/// </summary>
public sealed class FilesService(IFileStorage storage, UploadStager stager, RecordReader reader, RecordPipeline pipeline, IOptions<FileOptions> options, TimeProvider time)
{
    public FileLimits LimitsOf(string tenantId) => options.Value.LimitsOf(tenantId);

    /// <summary>Stores a staged upload as a pending file of the caller's.</summary>
    public async Task<FileRow> StoreAsync(CrmSession session, StagedFile staged, CancellationToken cancellationToken)
    {
        var row = new FileRow
        {
            Id = Guid.CreateVersion7(),
            TenantId = session.TenantId,
            Name = staged.Name,
            ContentType = staged.ContentType,
            Size = staged.Size,
            Sha256 = staged.Sha256,
            State = FileStates.Pending,
            CreatedBy = session.OnBehalfOf ?? session.Principal.UserId,
            CreatedAt = time.UtcNow(),
        };
        await storage.PutAsync(session.TenantId, row.Id, staged, cancellationToken);
        try
        {
            // Inside an open write (a plugin's mutation generating a document) the row joins its
            // transaction: a second connection would wait on SQLite for the write lock that one holds.
            await using var joined = JoinedContext.For(session);
            var context = joined.Context;
            context.Add(row);
            await context.SaveChangesAsync(cancellationToken);
            context.Entry(row).State = EntityState.Detached;
            return row;
        }
        catch
        {
            await storage.DeleteAsync(session.TenantId, row.Id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Stores content given in-process (a generated document, an e-mail's attachment) as a pending file
    /// of the session's, with the same limits and sniffing as an upload.
    /// </summary>
    public async Task<FileRow> StoreAsync(CrmSession session, Stream content, string name, CancellationToken cancellationToken)
    {
        using var staged = await stager.StageAsync(content, name, LimitsOf(session.TenantId), cancellationToken);
        return await StoreAsync(session, staged, cancellationToken);
    }

    /// <summary>
    /// Stores content and adds it to a record's attachment field, through the record pipeline (so rights,
    /// hooks, audit and the outbox apply): the record as updated, or the errors that stopped it (the
    /// stored file is then removed again).
    /// </summary>
    public async Task<(FileRow? File, WriteResult Result)> AttachAsync(CrmSession session, string entity, Guid recordId, string field, Stream content, string name, CancellationToken cancellationToken)
    {
        var definition = session.Metadata.Find(entity)?.FindField(field);
        if (definition?.Type != CrmFieldType.Attachment)
        {
            return (null, WriteResult.Fail(new CrmError(ErrorCodes.UnknownField, $"'{entity}.{field}' is not an attachment field.", field)));
        }

        var record = await reader.GetAsync(session, entity, recordId, includeDeleted: false, cancellationToken);
        if (record is null)
        {
            return (null, WriteResult.Fail(new CrmError(ErrorCodes.NotFound, $"There is no {entity} with that id.", "id")));
        }

        var file = await StoreAsync(session, content, name, cancellationToken);
        var ids = (record.Get(definition) as IReadOnlyList<string> ?? []).Append(file.Id.ToString()).ToList();
        var result = await pipeline.UpdateAsync(session, entity, recordId, record.Version, new Dictionary<string, object?> { [field] = ids }, cancellationToken);
        if (!result.Succeeded)
        {
            await DeleteForGoodAsync(session, file.Id, cancellationToken);
            return (null, result);
        }

        return (file, result);
    }

    /// <summary>A file the caller may see, or null (for a made-up id too).</summary>
    public async Task<FileRow?> FindAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var row = await context.Set<FileRow>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        return row is not null && await MaySeeAsync(session, row, cancellationToken) ? row : null;
    }

    /// <summary>
    /// The live files of a record's attachment field, in the field's order: the caller read the record
    /// and its field already.
    /// </summary>
    public async Task<IReadOnlyList<FileRow>> OfFieldAsync(CrmSession session, string entity, Guid recordId, string field, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var context = session.CreateContext();
        var rows = await context.Set<FileRow>().AsNoTracking()
            .Where(f => ids.Contains(f.Id) && f.Entity == entity && f.RecordId == recordId && f.Field == field && f.DeletedAt == null)
            .ToDictionaryAsync(f => f.Id, cancellationToken);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    /// <summary>The content of a live file, for a download whose link was checked.</summary>
    public async Task<(FileRow File, Stream Content)?> OpenAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var row = await context.Set<FileRow>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.DeletedAt == null, cancellationToken);
        return row is not null && await storage.OpenAsync(session.TenantId, id, cancellationToken) is { } content ? (row, content) : null;
    }

    private async Task<bool> MaySeeAsync(CrmSession session, FileRow row, CancellationToken cancellationToken)
    {
        if (row.DeletedAt is not null)
        {
            return false;
        }

        if (row.State == FileStates.Pending)
        {
            return row.CreatedBy == (session.OnBehalfOf ?? session.Principal.UserId);
        }

        return row.Entity is { } entity && row.RecordId is { } recordId && row.Field is { } field
            && session.Metadata.Find(entity)?.FindField(field) is not null
            && session.Permissions.CanRead(entity, field)
            && await reader.GetAsync(session, entity, recordId, includeDeleted: false, cancellationToken) is not null;
    }

    /// <summary>Removes a file and its content for good.</summary>
    internal async Task DeleteForGoodAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var joined = JoinedContext.For(session);
        await joined.Context.Set<FileRow>().Where(f => f.Id == id).ExecuteDeleteAsync(cancellationToken);
        await storage.DeleteAsync(session.TenantId, id, cancellationToken);
    }
}
