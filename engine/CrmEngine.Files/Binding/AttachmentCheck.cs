using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Files.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Files.Binding;

/// <summary>
/// Before a create or update puts files on an attachment field: each must be a pending file the
/// writer uploaded (anyone else's, one on another record, or a made-up id is refused alike with
/// INVALID_VALUE, so ids can't be probed). One indexed query per write that adds files.
/// </summary>
internal sealed class AttachmentCheck : IRecordHook
{
    public string Source => "files";

    // After the other validations: a write refused for something else costs no query.
    public int Order => 1000;

    public bool AppliesTo(RecordChange change) =>
        change.Operation is RecordOperation.Create or RecordOperation.Update && AttachmentFields.Any(change.Entity);

    public async Task ValidateAsync(RecordChange change, CancellationToken cancellationToken)
    {
        var added = AttachmentFields.Changes(change).Where(c => c.Added.Count > 0).ToList();
        if (added.Count == 0 || change.Rejected)
        {
            return;
        }

        var ids = added.SelectMany(c => c.Added).ToList();
        var uploader = change.Session.OnBehalfOf ?? change.Session.Principal.UserId;
        // Joined to an open write: a file stored in it (a document a plugin's mutation generates) is not committed yet.
        await using var joined = JoinedContext.For(change.Session);
        var claimable = await joined.Context.Set<FileRow>().AsNoTracking()
            .Where(f => ids.Contains(f.Id) && f.State == FileStates.Pending && f.DeletedAt == null && f.CreatedBy == uploader)
            .Select(f => f.Id).ToListAsync(cancellationToken);
        foreach (var (field, files, _) in added)
        {
            if (files.Any(id => !claimable.Contains(id)))
            {
                change.Reject($"Field '{field.Name}' takes files you uploaded and have not attached elsewhere; one of these is not.", field.Name, ErrorCodes.InvalidValue);
            }
        }
    }
}
