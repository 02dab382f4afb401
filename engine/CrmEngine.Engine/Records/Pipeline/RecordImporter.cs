using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>What an import did: how many records it wrote, and why the others were refused (by their position in the input).</summary>
public sealed record ImportResult(int Imported, IReadOnlyList<(int Index, IReadOnlyList<CrmError> Errors)> Refused);

/// <summary>
/// The bulk path for imports and seeding. Every record is validated and passes the validate and
/// before hooks (plugins, rules) like a single create; valid ones are written in batches, each batch
/// in one transaction through the provider's <see cref="IBulkWriter"/> (a prepared statement on
/// SQLite, binary COPY on PostgreSQL) with its search entries, audit rows and outbox rows, so
/// imported records reach the after stage (after-rules, plugin after-hooks) like single creates.
/// Lookups and unique values are enforced by the database's constraints (a violation fails its
/// batch with a typed error) rather than one query per record; only a lookup to an entity the caller
/// reads in part (own or team scope) is checked per record, so a record hidden from the caller is
/// refused exactly as one that does not exist.
/// </summary>
public sealed class RecordImporter(IEnumerable<IRecordHook> hooks, UserReferences users, IBulkWriter writer, ISearchIndex search, OutboxSignal outbox, TimeProvider time)
{
    private readonly IRecordHook[] _hooks = hooks.OrderBy(h => h.Order).ToArray();

    public async Task<ImportResult> ImportAsync(CrmSession session, string entityName, IEnumerable<IReadOnlyDictionary<string, object?>> records, int batchSize, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(entityName);
        var refused = new List<(int, IReadOnlyList<CrmError>)>();
        var batch = new List<Prepared>(batchSize);
        var imported = 0;
        var index = 0;
        foreach (var input in records)
        {
            var row = await PrepareAsync(session, entity, input, index, refused, cancellationToken);
            index++;
            if (row is null)
            {
                continue;
            }

            batch.Add(row);
            if (batch.Count >= batchSize)
            {
                imported += await WriteAsync(session, entity, batch, cancellationToken);
                batch.Clear();
            }
        }

        imported += await WriteAsync(session, entity, batch, cancellationToken);
        return new ImportResult(imported, refused);
    }

    /// <summary>A record ready to write: its storage row and the field values its audit and outbox rows report.</summary>
    private sealed record Prepared(Dictionary<string, object?> Row, List<FieldChange> Changes);

    private async Task<Prepared?> PrepareAsync(CrmSession session, EntityDefinition entity, IReadOnlyDictionary<string, object?> input, int index, List<(int, IReadOnlyList<CrmError>)> refused, CancellationToken cancellationToken)
    {
        var errors = new List<CrmError>();
        var values = WriteAccess.CreateInput(session, entity, input, errors);
        var change = new RecordChange(session, entity, RecordOperation.Create, Guid.CreateVersion7(), null, values);
        change.Errors.AddRange(errors);
        if (!change.Rejected)
        {
            // The caller's own choices before any hook or rule acts on them, as in the pipeline.
            await WriteChecks.CheckCallersScopedLookupsAsync(change, cancellationToken);
            await WriteAccess.CheckNewOwnerAsync(users, change, afterHooks: false, cancellationToken);
        }

        if (!change.Rejected)
        {
            await HookStages.RunAsync(_hooks, change, cancellationToken);
        }

        if (!change.Rejected)
        {
            WriteInput.CheckRequired(change);
        }

        if (!change.Rejected)
        {
            await WriteAccess.CheckNewOwnerAsync(users, change, afterHooks: true, cancellationToken);
        }

        if (change.Rejected)
        {
            refused.Add((index, change.Errors.ToList()));
            return null;
        }

        var row = RecordRows.New(change, time.UtcNow());
        var changes = new List<FieldChange>();
        foreach (var field in entity.ActiveFields.Where(f => f.Of().IsWritable))
        {
            var value = change.Values.GetValueOrDefault(field.Name);
            field.Of().Write(field, value, row);
            if (!field.Of().IsEmpty(value))
            {
                changes.Add(new FieldChange(field.Name, null, value));
            }
        }

        return new Prepared(row, changes);
    }

    private async Task<int> WriteAsync(CrmSession session, EntityDefinition entity, List<Prepared> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        var rows = records.Select(r => r.Row).ToList();
        await using var unit = await session.Store.Access.BeginWriteAsync(session.View, shareCommit: false, cancellationToken);
        var context = unit.Context;
        foreach (var field in entity.ActiveFields.Where(f => f.Type == FieldType.AutoNumber))
        {
            foreach (var record in records)
            {
                var number = AutoNumberKind.Format(field.AutoNumberFormat!, await Sequences.NextAsync(context, Sequences.NameOf(entity.Name, field.Name), cancellationToken), (DateTime)record.Row[RecordColumns.CreatedAt]!);
                record.Row[field.ColumnName] = number;
                record.Changes.Add(new FieldChange(field.Name, null, number));
            }
        }

        try
        {
            await writer.InsertAsync(context, entity.Name, rows, cancellationToken);
        }
        catch (Exception e) when (session.Store.Provider.IsUniqueViolation(e) || session.Store.Provider.IsForeignKeyViolation(e))
        {
            throw new CrmException(session.Store.Provider.IsUniqueViolation(e) ? ErrorCodes.UniqueViolation : ErrorCodes.LookupNotFound,
                $"A batch of {rows.Count} {entity.PluralName} was not imported: {(session.Store.Provider.IsUniqueViolation(e) ? "a unique value is taken" : "a lookup points to a record that does not exist")}.");
        }

        if (SearchDocument.Columns(entity).Count > 0)
        {
            await search.IndexNewAsync(context, entity.Name, rows.Select(r => ((Guid)r[RecordColumns.Id]!, SearchDocument.Text(entity, r)!)).ToList(), cancellationToken);
        }

        // The audit trail and the after stage see each imported record as a create (version 1, a direct write).
        var logged = records.Select(r => ChangeLog.Rows(entity.Name, (Guid)r.Row[RecordColumns.Id]!, RecordOperation.Create, 1, (DateTime)r.Row[RecordColumns.CreatedAt]!,
            session.Principal.UserId, r.Changes, depth: 1)).ToList();
        await writer.InsertAsync(context, logged.Select(l => l.Audit).ToList(), cancellationToken);
        await writer.InsertAsync(context, logged.Select(l => l.Outbox).ToList(), cancellationToken);
        await unit.CompleteAsync(cancellationToken);
        outbox.Notify(session.TenantId);
        return rows.Count;
    }
}
