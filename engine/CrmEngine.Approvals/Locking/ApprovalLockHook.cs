using CrmEngine.Approvals.Processes;
using CrmEngine.Approvals.Requests;
using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Approvals.Locking;

/// <summary>
/// Refuses updates that change a field an active approval process of the entity locks while the
/// record has a pending request (APPROVAL_LOCKED), in the validate stage of the pipeline, so every
/// writer meets it: GraphQL, bulk mutations, imports, rules and plugins. Other fields stay
/// editable. The check is one indexed look-up, made only when the write changes a locked field.
/// </summary>
internal sealed class ApprovalLockHook(ProcessCatalog catalog) : IRecordHook
{
    public string Source => "approvals";

    public int Order => -1000;

    public bool AppliesTo(RecordChange change) =>
        change.Operation == RecordOperation.Update
        && (catalog.TryCached(change.Session.TenantId, change.Session.Metadata, change.Entity.Name) is not { } processes || processes.Any(p => p.LockedFields.Count > 0));

    public async Task ValidateAsync(RecordChange change, CancellationToken cancellationToken)
    {
        var processes = (await catalog.ListAsync(change.Session.Store, change.Session.Metadata, change.Entity.Name, cancellationToken)).Where(p => p.Active);
        var locked = processes.SelectMany(p => p.LockedFields).Distinct(StringComparer.Ordinal).Where(change.Changes).ToList();
        if (locked.Count == 0)
        {
            return;
        }

        var key = ApprovalService.OpenKey(change.Entity.Name, change.RecordId);
        var process = await Sessions.ReadAsync(change.Session, context =>
            context.Set<ApprovalRequestRow>().AsNoTracking().Where(r => r.OpenKey == key).Select(r => r.Process).SingleOrDefaultAsync(cancellationToken));
        if (process is null)
        {
            return;
        }

        foreach (var field in locked)
        {
            change.Errors.Add(new CrmError(ErrorCodes.ApprovalLocked, $"The record is pending approval ({process}); '{field}' can't change until the request is decided or recalled.", field));
        }
    }
}
