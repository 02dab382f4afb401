using System.Diagnostics;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Sdk.Metadata;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The one path every write takes, whoever makes it (API, import, rules, plugins, jobs):
/// validate → before hooks → persist (record, audit and outbox in one transaction, with the version
/// check) → after (the outbox dispatcher, once committed). A write that fails anywhere leaves
/// nothing behind and reports typed errors.
/// </summary>
public sealed class RecordPipeline(RecordHooks recordHooks, IEnumerable<IWriteCompanion> companions, UserReferences users, OutboxSignal outbox, ISearchIndex search, IOptions<CrmEngineOptions> options, TimeProvider time, CrmMetrics metrics)
{
    private readonly IWriteCompanion[] _companions = companions.ToArray();

    public Task<WriteResult> CreateAsync(CrmSession session, string entityName, IReadOnlyDictionary<string, object?> input, CancellationToken cancellationToken) =>
        ObservedAsync(RecordOperation.Create, session, entityName, (Pipeline: this, session, entityName, input, cancellationToken),
            static s => s.Pipeline.CreateCoreAsync(s.session, s.entityName, s.input, s.cancellationToken));

    public Task<WriteResult> UpdateAsync(CrmSession session, string entityName, Guid id, long? expectedVersion, IReadOnlyDictionary<string, object?> input, CancellationToken cancellationToken) =>
        ObservedAsync(RecordOperation.Update, session, entityName, (Pipeline: this, session, entityName, id, expectedVersion, input, cancellationToken),
            static s => s.Pipeline.UpdateCoreAsync(s.session, s.entityName, s.id, s.expectedVersion, s.input, s.cancellationToken));

    public Task<WriteResult> DeleteAsync(CrmSession session, string entityName, Guid id, long? expectedVersion, CancellationToken cancellationToken) =>
        ObservedAsync(RecordOperation.Delete, session, entityName, (Pipeline: this, session, entityName, id, expectedVersion, cancellationToken),
            static s => s.Pipeline.SetDeletedAsync(s.session, s.entityName, s.id, s.expectedVersion, delete: true, s.cancellationToken));

    public Task<WriteResult> RestoreAsync(CrmSession session, string entityName, Guid id, long? expectedVersion, CancellationToken cancellationToken) =>
        ObservedAsync(RecordOperation.Restore, session, entityName, (Pipeline: this, session, entityName, id, expectedVersion, cancellationToken),
            static s => s.Pipeline.SetDeletedAsync(s.session, s.entityName, s.id, s.expectedVersion, delete: false, s.cancellationToken));

    /// <summary>
    /// Runs a write under its span (<c>crm.write</c>, parent of the stages' spans) and records its
    /// duration and outcome. The state and the static delegate keep this free of allocations beyond the
    /// write's own when nothing listens.
    /// </summary>
    private async Task<WriteResult> ObservedAsync<TState>(RecordOperation operation, CrmSession session, string entityName, TState state, Func<TState, Task<WriteResult>> write)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = CrmTelemetry.StartRecordWork("crm.write", session.TenantId, entityName, operation);
        var name = CrmTelemetry.NameOf(operation);
        try
        {
            var result = await write(state);
            if (!result.Succeeded)
            {
                CrmTelemetry.Refused(activity, result.Errors[0].Code);
            }

            metrics.WriteDone(started, name, result.Succeeded ? "ok" : "refused");
            return result;
        }
        catch (Exception e)
        {
            CrmTelemetry.Failed(activity, e);
            metrics.WriteDone(started, name, "failed");
            throw;
        }
    }

    private async Task<WriteResult> CreateCoreAsync(CrmSession session, string entityName, IReadOnlyDictionary<string, object?> input, CancellationToken cancellationToken)
    {
        if (session.Metadata.Find(entityName) is not { } entity)
        {
            return WriteResult.Fail(UnknownEntity(entityName));
        }

        var errors = new List<CrmError>();
        var values = WriteAccess.CreateInput(session, entity, input, errors);
        if (errors.Count > 0)
        {
            return WriteResult.Fail(errors);
        }

        var recordId = Guid.CreateVersion7();
        var (scope, unable) = await BeginAsync(session, entity.Name, recordId, cancellationToken);
        if (scope is null)
        {
            return unable!;
        }

        await using var ownedScope = scope.Activate();
        var context = scope.Context;
        var change = new RecordChange(session, entity, RecordOperation.Create, recordId, null, values);
        if (await RunHooksAsync(change, context, cancellationToken) is { } refused)
        {
            return refused.With(change);
        }

        var now = time.UtcNow();
        var row = RecordRows.New(change, now, RecordRows.WithEveryColumn(context, entity));
        var changes = new List<FieldChange>();
        foreach (var field in entity.ActiveFields)
        {
            var value = field.Type == FieldType.AutoNumber
                ? AutoNumberKind.Format(field.AutoNumberFormat!, await Sequences.NextAsync(context, Sequences.NameOf(entity.Name, field.Name), cancellationToken), now)
                : change.Values.GetValueOrDefault(field.Name);
            field.Of().Write(field, value, row);
            if (!field.Of().IsEmpty(value))
            {
                changes.Add(new FieldChange(field.Name, null, value));
            }
        }

        scope.AddRecord(entity.Name, row);
        ChangeLog.Record(scope, entity.Name, change.RecordId, RecordOperation.Create, 1, now, session.Principal.UserId, changes);
        return (await CommitAsync(session, scope, change, row, cancellationToken)).With(change);
    }

    private async Task<WriteResult> UpdateCoreAsync(CrmSession session, string entityName, Guid id, long? expectedVersion, IReadOnlyDictionary<string, object?> input, CancellationToken cancellationToken)
    {
        if (session.Metadata.Find(entityName) is not { } entity)
        {
            return WriteResult.Fail(UnknownEntity(entityName));
        }

        var errors = new List<CrmError>();
        var values = WriteInput.Normalize(entity, input, errors);
        WriteAccess.CheckFields(session.Permissions, entity, values.Keys, RecordAction.Update, errors);
        if (errors.Count > 0)
        {
            return WriteResult.Fail(errors);
        }

        var (scope, unable) = await BeginAsync(session, entity.Name, id, cancellationToken);
        if (scope is null)
        {
            return unable!;
        }

        await using var ownedScope = scope.Activate();
        var context = scope.Context;
        var (row, failure) = await RecordRows.LoadAsync(session, context, entity, id, expectedVersion, wantDeleted: false, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var previous = RecordRows.Snapshot(entity, row!);
        var denied = await WriteAccess.CheckUpdateAsync(context, session.Permissions, entity, previous, cancellationToken);
        if (denied is null && values.GetValueOrDefault(SystemFields.OwnerId) is Guid newOwner && newOwner != previous.OwnerId)
        {
            denied = WriteAccess.CheckAssign(session.Permissions, entity, previous.OwnerId, newOwner);
        }

        if (denied is not null)
        {
            return WriteResult.Fail(denied);
        }

        var change = new RecordChange(session, entity, RecordOperation.Update, id, previous, values);
        if (await RunHooksAsync(change, context, cancellationToken) is { } refused)
        {
            return refused.With(change);
        }

        var changes = new List<FieldChange>();
        foreach (var (name, value) in change.Values)
        {
            if (name == SystemFields.OwnerId)
            {
                if (value is Guid owner && owner != previous.OwnerId)
                {
                    changes.Add(new FieldChange(name, previous.OwnerId, owner));
                    row![RecordColumns.OwnerId] = owner;
                }

                continue;
            }

            var field = entity.FindField(name)!;
            var old = previous.Get(field);
            if (!field.Of().AreEqual(old, value))
            {
                changes.Add(new FieldChange(name, old, value));
                field.Of().Write(field, value, row!);
            }
        }

        if (changes.Count == 0)
        {
            // Nothing changes: no new version, no audit row, no outbox work.
            return WriteResult.Ok(new RecordData(entity, previous.Row, session.Permissions));
        }

        var version = RecordRows.Stamp(row!, session, previous.Version, time.UtcNow());
        ChangeLog.Record(scope, entity.Name, id, RecordOperation.Update, version, (DateTime)row![RecordColumns.UpdatedAt]!, session.Principal.UserId, changes);
        return (await CommitAsync(session, scope, change, row, cancellationToken)).With(change);
    }

    private async Task<WriteResult> SetDeletedAsync(CrmSession session, string entityName, Guid id, long? expectedVersion, bool delete, CancellationToken cancellationToken)
    {
        if (session.Metadata.Find(entityName) is not { } entity)
        {
            return WriteResult.Fail(UnknownEntity(entityName));
        }

        var (scope, unable) = await BeginAsync(session, entity.Name, id, cancellationToken);
        if (scope is null)
        {
            return unable!;
        }

        await using var ownedScope = scope.Activate();
        var context = scope.Context;
        var (row, failure) = await RecordRows.LoadAsync(session, context, entity, id, expectedVersion, wantDeleted: !delete, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var previous = RecordRows.Snapshot(entity, row!);
        if (WriteAccess.CheckExisting(session.Permissions, entity, previous, RecordAction.Delete) is { } denied)
        {
            return WriteResult.Fail(denied);
        }
        var operation = delete ? RecordOperation.Delete : RecordOperation.Restore;
        var change = new RecordChange(session, entity, operation, id, previous, []);
        if (!delete)
        {
            // A restored record takes back its unique values; another record may hold them now.
            foreach (var field in entity.ActiveFields.Where(f => f.Unique))
            {
                change.SetNormalized(field.Name, previous.Get(field));
            }
        }

        if (await RunHooksAsync(change, context, cancellationToken) is { } refused)
        {
            return refused;
        }

        var version = RecordRows.Stamp(row!, session, previous.Version, time.UtcNow());
        var at = (DateTime)row![RecordColumns.UpdatedAt]!;
        row[RecordColumns.DeletedAt] = delete ? at : null;
        ChangeLog.Record(scope, entity.Name, id, operation, version, at, session.Principal.UserId,
            [new FieldChange(SystemFields.DeletedAt, delete ? null : previous.DeletedAt, delete ? at : null)]);
        return await CommitAsync(session, scope, change, row, cancellationToken);
    }

    /// <summary>Opens the write's scope, or says why it can't be opened (cascade too deep, record already being written).</summary>
    private async Task<(WriteScope? Scope, WriteResult? Failure)> BeginAsync(CrmSession session, string entity, Guid recordId, CancellationToken cancellationToken)
    {
        try
        {
            return (await WriteScope.BeginAsync(session, entity, recordId, options.Value.MaxCascadeDepth, cancellationToken, shareCommit: true), null);
        }
        catch (CrmException e)
        {
            return (null, WriteResult.Fail(e.Errors));
        }
    }

    /// <summary>
    /// The rest of the validate stage, the hooks, then the checks that need the database; null when
    /// the write may go on. The caller's own choices (lookups, owner) are checked before any hook or
    /// rule runs: those read and write with more rights than the caller and must never act on a record
    /// or user the caller could not name.
    /// </summary>
    private async Task<WriteResult?> RunHooksAsync(RecordChange change, TenantDbContext context, CancellationToken cancellationToken)
    {
        var hooks = HookStages.Applicable(recordHooks.Current, change);
        using (CrmTelemetry.StartStage("crm.write.validate"))
        {
            await WriteChecks.CheckCallersLookupsAsync(change, context, cancellationToken);
            await WriteAccess.CheckNewOwnerAsync(users, change, afterHooks: false, cancellationToken);
            if (change.Rejected)
            {
                return WriteResult.Fail(change.Errors);
            }

            await HookStages.RunAsync(hooks, HookStage.Validate, change, cancellationToken);
            if (change.Rejected)
            {
                return WriteResult.Fail(change.Errors);
            }
        }

        // The before stage: hooks change the write, then what they made is checked.
        using (CrmTelemetry.StartStage("crm.write.before"))
        {
            await HookStages.RunAsync(hooks, HookStage.Before, change, cancellationToken);
            if (change.Rejected)
            {
                return WriteResult.Fail(change.Errors);
            }

            if (change.Operation is RecordOperation.Create or RecordOperation.Update)
            {
                WriteInput.CheckRequired(change);
            }

            if (!change.Rejected)
            {
                await WriteAccess.CheckNewOwnerAsync(users, change, afterHooks: true, cancellationToken);
            }

            if (!change.Rejected)
            {
                await WriteChecks.RunAsync(change, context, cancellationToken);
            }

            return change.Rejected ? WriteResult.Fail(change.Errors) : null;
        }
    }

    private async Task<WriteResult> CommitAsync(CrmSession session, WriteScope scope, RecordChange change, Dictionary<string, object?> row, CancellationToken cancellationToken)
    {
        using var persist = CrmTelemetry.StartStage("crm.write.persist");
        var entity = change.Entity;
        try
        {
            foreach (var companion in _companions)
            {
                await companion.WrittenAsync(scope.Context, [(change, row)], cancellationToken);
            }

            // The search entry changes in the same transaction as the record (deleted records leave the index).
            if (SearchDocument.Columns(entity).Count > 0)
            {
                var text = row[RecordColumns.DeletedAt] is null ? SearchDocument.Text(entity, row) : null;
                var id = (Guid)row[RecordColumns.Id]!;
                if (!(change.Operation == RecordOperation.Create && text is not null && scope.AddNewSearchEntry(entity.Name, id, text)))
                {
                    await search.IndexAsync(scope.Context, entity.Name, id, text, cancellationToken);
                }
            }

            if (!scope.IsNested)
            {
                scope.AfterCommit(() => outbox.Notify(session.TenantId));
            }

            await scope.CompleteAsync(cancellationToken);
        }
        catch (Exception e) when (SaveFailures.Describe(session.Store.Provider, entity, e) is { } refused)
        {
            return WriteResult.Fail(refused);
        }

        return WriteResult.Ok(new RecordData(entity, new Dictionary<string, object?>(row), session.Permissions));
    }

    private static CrmError UnknownEntity(string name) => new(ErrorCodes.UnknownEntity, $"There is no entity named '{name}'.");
}
