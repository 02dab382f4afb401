using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Merging;

/// <summary>
/// Undoes a merge within <see cref="CrmEngineOptions.MergeUndoWindow"/>, once, in one transaction of
/// pipeline writes: the master takes back its values, the duplicates are restored, and each record
/// the merge re-parented points back at its duplicate. What changed since the merge is left as it is
/// and reported as a conflict, never overwritten: a master field whose value is no longer the one the
/// merge gave it, a related record whose lookup no longer points at the master (or which is gone).
/// The caller needs what the merge needed: to update the master and restore the duplicates.
/// </summary>
public sealed class MergeUndo(RecordPipeline pipeline, RecordReader reader, OutboxSignal outbox, IOptions<CrmEngineOptions> options, TimeProvider time)
{
    public async Task<UndoMergeOutcome> UndoAsync(CrmSession session, Guid mergeId, CancellationToken cancellationToken)
    {
        await using var scope = (await WriteScope.BeginBatchAsync(session, "merge", cancellationToken)).Activate();
        scope.Cause = "undo-merge:" + mergeId;
        var merge = await scope.Context.Set<MergeRow>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == mergeId, cancellationToken);
        var entity = merge is null ? null : MergeWork.Entity(session, merge.Entity);
        var master = entity is null ? null : await reader.GetAsync(session, entity.Name, merge!.MasterId, includeDeleted: false, cancellationToken);
        if (master is null)
        {
            // A merge of records the caller can't see answers as one that never was.
            return UndoMergeOutcome.Fail([new CrmError(ErrorCodes.NotFound, $"There is no merge {mergeId}.", "mergeId")]);
        }

        if (Refusal(session, merge!, entity!, master) is { } refused)
        {
            return UndoMergeOutcome.Fail([refused]);
        }

        var plan = MergePlan.Read(merge!.Plan);
        var conflicts = new List<MergeConflict>();
        var privileged = MergeWork.Privileged(session);
        var current = (await reader.GetAsync(privileged, entity!.Name, master.Id, includeDeleted: false, cancellationToken))!;
        var input = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, previous) in plan.Previous)
        {
            if (MergeWork.Same(MergeWork.Keep(MergeWork.ValueOf(current, field)), plan.Taken[field]))
            {
                input[field] = previous.ValueKind == JsonValueKind.Null ? null : previous;
            }
            else
            {
                conflicts.Add(new MergeConflict(entity.Name, master.Id, field, "The master's value changed after the merge; it was left as it is."));
            }
        }

        var restoredMaster = await pipeline.UpdateAsync(session, entity.Name, master.Id, null, input, cancellationToken);
        if (!restoredMaster.Succeeded)
        {
            return UndoMergeOutcome.Fail(restoredMaster.Errors);
        }

        var restored = new List<RecordData>();
        foreach (var duplicate in plan.Duplicates)
        {
            var back = await pipeline.RestoreAsync(session, entity.Name, duplicate, null, cancellationToken);
            if (!back.Succeeded)
            {
                return UndoMergeOutcome.Fail(MergeWork.About(back.Errors, entity.Name, duplicate, MergeWork.DuplicatesField));
            }

            restored.Add(back.Record!);
        }

        conflicts.AddRange(await RelinkBackAsync(privileged, scope, plan, master.Id, cancellationToken));
        var now = time.UtcNow();
        // Loaded untracked: the writes above clear the tracker after each record.
        merge.UndoneAt = now;
        scope.Context.Set<MergeRow>().Update(merge);
        scope.Context.Set<MergedRecordRow>().RemoveRange(await scope.Context.Set<MergedRecordRow>().AsTracking().Where(m => m.MergeId == mergeId).ToListAsync(cancellationToken));
        MergeWork.Audit(scope, new RecordData(entity, restoredMaster.Record!.Row), "undo-merge", now,
        [
            new FieldChange("restoredRecords", null, plan.Duplicates),
            new FieldChange("conflicts", null, conflicts.Count),
        ]);
        scope.AfterCommit(() => outbox.Notify(session.TenantId));
        await scope.CompleteAsync(cancellationToken);
        return new UndoMergeOutcome(await reader.GetAsync(session, entity.Name, master.Id, includeDeleted: false, cancellationToken), restored, conflicts, []);
    }

    private CrmError? Refusal(CrmSession session, MergeRow merge, EntityDefinition entity, RecordData master)
    {
        if (merge.UndoneAt is { } undone)
        {
            return new CrmError(ErrorCodes.MergeAlreadyUndone, $"This merge was undone at {undone:u}; it can't be undone again.", "mergeId");
        }

        var until = DateTime.SpecifyKind(merge.At, DateTimeKind.Utc) + options.Value.MergeUndoWindow;
        if (time.UtcNow() > until)
        {
            return new CrmError(ErrorCodes.MergeUndoExpired, $"A merge can be undone until {options.Value.MergeUndoWindow.TotalDays:0.##} days after it was made; this one's time ran out at {until:u}.", "mergeId");
        }

        return WriteAccess.CheckExisting(session.Permissions, entity, master, RecordAction.Update) is { } denied ? denied with { Field = MergeWork.MasterField } : null;
    }

    /// <summary>Points each re-parented record back at its duplicate, unless it changed since: then it is a conflict and stays as it is.</summary>
    private async Task<List<MergeConflict>> RelinkBackAsync(CrmSession privileged, WriteScope scope, MergePlan plan, Guid master, CancellationToken cancellationToken)
    {
        var conflicts = new List<MergeConflict>();
        foreach (var relink in plan.Relinked)
        {
            var record = MergeWork.Entity(privileged, relink.Entity) is null ? null : await reader.GetAsync(privileged, relink.Entity, relink.RecordId, includeDeleted: false, cancellationToken);
            if (record?.Get(relink.Field) is not Guid pointsAt || pointsAt != master)
            {
                conflicts.Add(new MergeConflict(relink.Entity, relink.RecordId, relink.Field, record is null
                    ? "The record was deleted after the merge; it was left as it is."
                    : "The record's lookup was changed after the merge; it was left as it is."));
                continue;
            }

            var moved = await pipeline.UpdateAsync(privileged, relink.Entity, relink.RecordId, null, new Dictionary<string, object?> { [relink.Field] = relink.From }, cancellationToken);
            scope.Context.ChangeTracker.Clear();
            if (!moved.Succeeded)
            {
                conflicts.Add(new MergeConflict(relink.Entity, relink.RecordId, relink.Field, $"Pointing it back was refused ({moved.Errors[0].Code}: {moved.Errors[0].Message}); it was left as it is."));
            }
        }

        return conflicts;
    }
}
