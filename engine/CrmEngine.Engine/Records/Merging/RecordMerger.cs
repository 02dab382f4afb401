using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Merging;

/// <summary>
/// Merges duplicates of a record into it (the master), for any entity, in one transaction of
/// ordinary pipeline writes: the duplicates are deleted (the caller's delete right, their versions),
/// the master takes the chosen values (the caller's update right, its version), then every live
/// record whose lookup points at a duplicate is changed to point at the master (with the engine's
/// rights, in the caller's name). Every write has its audit row, naming the merge as its cause, and
/// its outbox row (webhooks, the changes feed, subscriptions, after-rules see it). The merge is kept
/// (<see cref="MergePlan"/>) for <see cref="MergeUndo"/>, and each duplicate points at its master.
/// </summary>
public sealed class RecordMerger(RecordPipeline pipeline, RecordReader reader, OutboxSignal outbox, IOptions<CrmEngineOptions> options, TimeProvider time)
{
    public async Task<MergeOutcome> MergeAsync(CrmSession session, MergeRequest request, CancellationToken cancellationToken)
    {
        if (MergeWork.Entity(session, request.Entity) is not { } entity)
        {
            return MergeOutcome.Fail([new CrmError(ErrorCodes.UnknownEntity, $"There is no entity named '{request.Entity}'.", "entity")]);
        }

        if (CheckShape(request) is { } refused)
        {
            return MergeOutcome.Fail([refused]);
        }

        var mergeId = Guid.CreateVersion7();
        await using var scope = (await WriteScope.BeginBatchAsync(session, entity.Name, cancellationToken)).Activate();
        scope.Cause = "merge:" + mergeId;
        var (records, missing) = await ReadAsync(session, entity, request, cancellationToken);
        if (missing.Count > 0)
        {
            return MergeOutcome.Fail(missing);
        }

        var master = records[request.Master.Id];
        var errors = new List<CrmError>();
        var input = MasterInput(entity, request, records, errors);
        if (WriteAccess.CheckExisting(session.Permissions, entity, master, RecordAction.Update) is { } denied)
        {
            errors.Add(denied with { Field = MergeWork.MasterField });
        }

        if (errors.Count > 0)
        {
            return MergeOutcome.Fail(errors);
        }

        // The duplicates go first: the unique values they hold become free for the master to take.
        foreach (var duplicate in request.Duplicates)
        {
            var deleted = await pipeline.DeleteAsync(session, entity.Name, duplicate.Id, duplicate.Version, cancellationToken);
            if (!deleted.Succeeded)
            {
                return MergeOutcome.Fail(MergeWork.About(deleted.Errors, entity.Name, duplicate.Id, MergeWork.DuplicatesField));
            }
        }

        var before = await reader.GetAsync(MergeWork.Privileged(session), entity.Name, master.Id, includeDeleted: false, cancellationToken);
        var updated = await pipeline.UpdateAsync(session, entity.Name, master.Id, request.Master.Version, input, cancellationToken);
        if (!updated.Succeeded)
        {
            return MergeOutcome.Fail(updated.Errors);
        }

        var duplicates = request.Duplicates.Select(d => d.Id).ToList();
        var (relinked, failed) = await RelinkAsync(session, entity, master.Id, duplicates, cancellationToken);
        if (failed is not null)
        {
            return MergeOutcome.Fail(failed);
        }

        var after = new RecordData(entity, updated.Record!.Row);
        var changed = input.Keys.Where(f => !MergeWork.Same(MergeWork.Keep(MergeWork.ValueOf(before!, f)), MergeWork.Keep(MergeWork.ValueOf(after, f)))).ToList();
        var plan = new MergePlan(duplicates,
            changed.ToDictionary(f => f, f => MergeWork.Keep(MergeWork.ValueOf(before!, f))),
            changed.ToDictionary(f => f, f => MergeWork.Keep(MergeWork.ValueOf(after, f))),
            relinked);
        var now = time.UtcNow();
        Keep(scope, entity, after, mergeId, plan, request, now);
        scope.AfterCommit(() => outbox.Notify(session.TenantId));
        await scope.CompleteAsync(cancellationToken);
        return new MergeOutcome(mergeId, await reader.GetAsync(session, entity.Name, master.Id, includeDeleted: false, cancellationToken), now + options.Value.MergeUndoWindow, []);
    }

    /// <summary>One to <see cref="CrmEngineOptions.MaxMergeDuplicates"/> duplicates, each once, none of them the master.</summary>
    private CrmError? CheckShape(MergeRequest request)
    {
        var limit = options.Value.MaxMergeDuplicates;
        if (request.Duplicates.Count == 0 || request.Duplicates.Count > limit)
        {
            return new CrmError(ErrorCodes.TooManyDuplicates,
                $"A merge takes one to {limit} duplicates besides the master; this one has {request.Duplicates.Count}. Nothing was merged: merge the others in another request.", MergeWork.DuplicatesField);
        }

        var ids = request.Duplicates.Select(d => d.Id).Append(request.Master.Id).ToList();
        return ids.Distinct().Count() == ids.Count
            ? null
            : new CrmError(ErrorCodes.MergeSameRecord, "A record can't be merged into itself, and each duplicate is named once. Nothing was merged.", MergeWork.DuplicatesField);
    }

    /// <summary>The master and the duplicates as the caller reads them; an id the caller can't see is missing, as a made-up one is.</summary>
    private async Task<(Dictionary<Guid, RecordData> Records, List<CrmError> Missing)> ReadAsync(CrmSession session, EntityDefinition entity, MergeRequest request, CancellationToken cancellationToken)
    {
        var records = new Dictionary<Guid, RecordData>();
        var missing = new List<CrmError>();
        foreach (var (target, field) in request.Duplicates.Select(d => (d, MergeWork.DuplicatesField)).Prepend((request.Master, MergeWork.MasterField)))
        {
            if (await reader.GetAsync(session, entity.Name, target.Id, includeDeleted: false, cancellationToken) is { } record)
            {
                records[target.Id] = record;
            }
            else
            {
                missing.Add(MergeWork.NotFound(field, target.Id));
            }
        }

        return (records, missing);
    }

    /// <summary>The master's write: each chosen field's value, from the record named or as given.</summary>
    private static Dictionary<string, object?> MasterInput(EntityDefinition entity, MergeRequest request, Dictionary<Guid, RecordData> records, List<CrmError> errors)
    {
        var input = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var choice in request.Fields)
        {
            var field = entity.FindField(choice.Field);
            if (choice.Field != SystemFields.OwnerId && field is null)
            {
                errors.Add(new CrmError(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{choice.Field}'.", choice.Field));
                continue;
            }

            if (choice.From is not { } from)
            {
                input[choice.Field] = choice.Value;
            }
            else if (!records.TryGetValue(from, out var source))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidInput, $"'{choice.Field}' is to come from {from}, which is neither the master nor one of the duplicates.", choice.Field));
            }
            else if (choice.Field != SystemFields.OwnerId && !source.IsVisible(choice.Field))
            {
                errors.Add(new CrmError(ErrorCodes.Forbidden, $"You may not read '{choice.Field}' of {entity.Name}, so you can't take its value.", choice.Field));
            }
            else
            {
                input[choice.Field] = MergeWork.ValueOf(source, choice.Field);
            }
        }

        return input;
    }

    /// <summary>
    /// Points every live record whose lookup holds a duplicate at the master instead: each lookup to
    /// this entity on any entity (system, custom and plugin ones, custom fields too), each record by
    /// an ordinary update. The records merged are not moved: the duplicates go, the master's own
    /// values are the field choices'.
    /// </summary>
    private async Task<(List<Relink> Relinked, IReadOnlyList<CrmError>? Failed)> RelinkAsync(CrmSession session, EntityDefinition entity, Guid master, List<Guid> duplicates, CancellationToken cancellationToken)
    {
        var privileged = MergeWork.Privileged(session);
        var context = WriteScope.For(session)!.Context;
        var relinked = new List<Relink>();
        var merged = duplicates.Append(master).ToHashSet();
        foreach (var (source, lookup) in session.Metadata.InverseLookupsOf(entity.Name))
        {
            var pointing = await context.Records(source.Name)
                .Where(PredicateBuilder.ColumnIn(lookup.ColumnName, duplicates.Select(d => (Guid?)d).ToList()))
                .Where(RecordReader.NotDeleted())
                .Select(r => new { Id = EF.Property<Guid>(r, Storage.RecordColumns.Id), From = EF.Property<Guid?>(r, lookup.ColumnName) })
                .ToListAsync(cancellationToken);
            foreach (var record in pointing.Where(p => source.Name != entity.Name || !merged.Contains(p.Id)))
            {
                var moved = await pipeline.UpdateAsync(privileged, source.Name, record.Id, null, new Dictionary<string, object?> { [lookup.Name] = master }, cancellationToken);
                context.ChangeTracker.Clear();
                if (!moved.Succeeded)
                {
                    return (relinked, MergeWork.About(moved.Errors, source.Name, record.Id, lookup.Name));
                }

                relinked.Add(new Relink(source.Name, record.Id, lookup.Name, record.From!.Value));
            }
        }

        return (relinked, null);
    }

    /// <summary>The merge's own rows: the merge kept for its undo, the duplicates pointing at the master, the master's audit row of the merge.</summary>
    private static void Keep(WriteScope scope, EntityDefinition entity, RecordData master, Guid mergeId, MergePlan plan, MergeRequest request, DateTime now)
    {
        var context = scope.Context;
        context.Set<MergeRow>().Add(new MergeRow { Id = mergeId, Entity = entity.Name, MasterId = master.Id, At = now, Actor = scope.Session.Principal.UserId, Plan = plan.Serialize() });
        foreach (var duplicate in plan.Duplicates)
        {
            context.Set<MergedRecordRow>().Add(new MergedRecordRow { Entity = entity.Name, RecordId = duplicate, MasterId = master.Id, MergeId = mergeId });
        }

        var taken = request.Fields.ToDictionary(f => f.Field, f => f.From?.ToString() ?? "value");
        MergeWork.Audit(scope, master, "merge", now,
        [
            new FieldChange("mergedRecords", null, plan.Duplicates),
            new FieldChange("fieldsTaken", null, taken),
            new FieldChange("relinkedRecords", null, plan.Relinked.Count),
        ]);
    }
}
