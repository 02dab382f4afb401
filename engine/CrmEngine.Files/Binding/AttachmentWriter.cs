using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Files.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Files.Binding;

/// <summary>
/// Keeps files in step with their records, in the write's own transaction: files put on an attachment
/// field become the record's (a file claimed by another write meanwhile fails this one), files taken
/// off are detached (deleted), a deleted record's files are deleted with it and its restore brings
/// them back.
/// </summary>
internal sealed class AttachmentWriter(TimeProvider time) : IWriteCompanion
{
    public async Task WrittenAsync(TenantDbContext context, IReadOnlyList<(RecordChange Change, Dictionary<string, object?> Row)> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0 || !AttachmentFields.Any(writes[0].Change.Entity))
        {
            return;
        }

        var files = context.Set<FileRow>();
        var now = time.UtcNow();
        foreach (var (change, _) in writes)
        {
            var entity = change.Entity.Name;
            var recordId = change.RecordId;
            switch (change.Operation)
            {
                case RecordOperation.Delete:
                    await files.Where(f => f.Entity == entity && f.RecordId == recordId && f.State == FileStates.Attached)
                        .ExecuteUpdateAsync(s => s.SetProperty(f => f.State, FileStates.DeletedWithRecord).SetProperty(f => f.DeletedAt, now), cancellationToken);
                    break;
                case RecordOperation.Restore:
                    await files.Where(f => f.Entity == entity && f.RecordId == recordId && f.State == FileStates.DeletedWithRecord)
                        .ExecuteUpdateAsync(s => s.SetProperty(f => f.State, FileStates.Attached).SetProperty(f => f.DeletedAt, (DateTime?)null), cancellationToken);
                    break;
                default:
                    await BindAsync(files, change, now, cancellationToken);
                    break;
            }
        }
    }

    private static async Task BindAsync(DbSet<FileRow> files, RecordChange change, DateTime now, CancellationToken cancellationToken)
    {
        var entity = change.Entity.Name;
        var recordId = change.RecordId;
        var uploader = change.Session.OnBehalfOf ?? change.Session.Principal.UserId;
        foreach (var (field, added, removed) in AttachmentFields.Changes(change))
        {
            var name = field.Name;
            if (added.Count > 0)
            {
                var bound = await files.Where(f => added.Contains(f.Id) && f.State == FileStates.Pending && f.DeletedAt == null && f.CreatedBy == uploader)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.State, FileStates.Attached).SetProperty(f => f.Entity, entity)
                        .SetProperty(f => f.RecordId, recordId).SetProperty(f => f.Field, name), cancellationToken);
                if (bound != added.Count)
                {
                    // Checked before the write; another write took one of them since.
                    throw new CrmException(ErrorCodes.InvalidValue, $"Field '{name}' takes files you uploaded and have not attached elsewhere; one of these was attached meanwhile.", name);
                }
            }

            if (removed.Count > 0)
            {
                await files.Where(f => removed.Contains(f.Id) && f.Entity == entity && f.RecordId == recordId && f.Field == name)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.State, FileStates.Detached).SetProperty(f => f.DeletedAt, now), cancellationToken);
            }
        }
    }
}
