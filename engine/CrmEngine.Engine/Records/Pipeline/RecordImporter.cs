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
/// Lookups and unique values are enforced by the database's constraints rather than one query per
/// record: a batch that breaks one is undone and written again record by record, each checked
/// against the store first, so only the records at fault are refused and the others are kept.
/// Only a lookup to an entity the caller reads in part (own or team scope) is checked per record,
/// so a record hidden from the caller is refused exactly as one that does not exist.
/// A dry run does all of it, the writes included, in transactions it never commits.
/// </summary>
public sealed class RecordImporter(RecordHooks hooks, IEnumerable<IWriteCompanion> companions, UserReferences users, IBulkWriter writer, ISearchIndex search, OutboxSignal outbox, TimeProvider time)
{
    private const string Numbering = "crm_import_numbering";
    private readonly IWriteCompanion[] _companions = companions.ToArray();

    public Task<ImportResult> ImportAsync(CrmSession session, string entityName, IEnumerable<IReadOnlyDictionary<string, object?>> records, int batchSize, CancellationToken cancellationToken) =>
        ImportAsync(session, entityName, records, batchSize, dryRun: false, cancellationToken);

    /// <summary>
    /// Imports the records as creates, <paramref name="batchSize"/> to a transaction. A dry run checks
    /// and writes everything in transactions that are rolled back: the result says what a real import
    /// would do, and nothing is kept.
    /// </summary>
    public async Task<ImportResult> ImportAsync(CrmSession session, string entityName, IEnumerable<IReadOnlyDictionary<string, object?>> records, int batchSize, bool dryRun, CancellationToken cancellationToken)
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
                imported += await WriteAsync(session, entity, batch, dryRun, refused, cancellationToken);
                batch.Clear();
            }
        }

        imported += await WriteAsync(session, entity, batch, dryRun, refused, cancellationToken);
        refused.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new ImportResult(imported, refused);
    }

    /// <summary>A record ready to write: its position in the input, its change, its storage row and the field values its audit and outbox rows report.</summary>
    private sealed record Prepared(int Index, RecordChange Change, Dictionary<string, object?> Row, List<FieldChange> Changes);

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
            await HookStages.RunAsync(hooks.Current, change, cancellationToken);
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
        // Auto-numbers are numbered below; the other read-only kinds write their starting value (a rollup's 0).
        foreach (var field in entity.ActiveFields.Where(f => f.Type != FieldType.AutoNumber))
        {
            var value = change.Values.GetValueOrDefault(field.Name);
            field.Of().Write(field, value, row);
            if (!field.Of().IsEmpty(value))
            {
                changes.Add(new FieldChange(field.Name, null, value));
            }
        }

        return new Prepared(index, change, row, changes);
    }

    /// <summary>
    /// Writes a batch in one transaction. Where the store refuses rows one at a time (SQLite), a record
    /// breaking a constraint is refused alone inside it; otherwise (PostgreSQL's COPY), a batch the
    /// store refuses is undone and written record by record instead.
    /// </summary>
    private async Task<int> WriteAsync(CrmSession session, EntityDefinition entity, List<Prepared> records, bool dryRun, List<(int, IReadOnlyList<CrmError>)> refused, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        try
        {
            return await WriteUnitAsync(session, entity, records, dryRun, checkEach: false, refused, cancellationToken);
        }
        catch (Exception e) when (IsConstraintFailure(session, e))
        {
            // The batch's transaction is undone: each record is now checked and written alone.
        }

        var written = 0;
        foreach (var record in records.Where(r => !r.Change.Rejected))
        {
            try
            {
                written += await WriteUnitAsync(session, entity, [record], dryRun, checkEach: true, refused, cancellationToken);
            }
            catch (Exception e) when (IsConstraintFailure(session, e))
            {
                // Taken or gone between the check and the write, by a concurrent writer.
                Refuse(session, entity, record, e);
                refused.Add((record.Index, record.Change.Errors.ToList()));
            }
        }

        return written;
    }

    private static bool IsConstraintFailure(CrmSession session, Exception e) =>
        session.Store.Provider.IsUniqueViolation(e) || session.Store.Provider.IsForeignKeyViolation(e);

    /// <summary>
    /// One transaction: the records, their auto-numbers, search entries, audit and outbox rows.
    /// <paramref name="checkEach"/> first checks each record's lookups and unique values against the
    /// store. A record refused (by those checks, or by the store where it refuses rows alone) is left
    /// out, its errors on its change and in <paramref name="refused"/>. A dry run never commits.
    /// </summary>
    private async Task<int> WriteUnitAsync(CrmSession session, EntityDefinition entity, List<Prepared> records, bool dryRun, bool checkEach, List<(int, IReadOnlyList<CrmError>)> refused, CancellationToken cancellationToken)
    {
        await using var unit = await session.Store.Access.BeginWriteAsync(session.View, shareCommit: false, cancellationToken);
        var context = unit.Context;
        if (checkEach)
        {
            foreach (var record in records)
            {
                await WriteChecks.RunAsync(record.Change, context, cancellationToken, everyLookup: true);
            }

            records = Kept(records, refused);
            if (records.Count == 0)
            {
                return 0;
            }
        }

        var numbered = entity.ActiveFields.Where(f => f.Type == FieldType.AutoNumber).ToList();
        var transaction = context.Database.CurrentTransaction!;
        if (numbered.Count > 0 && !checkEach)
        {
            await transaction.CreateSavepointAsync(Numbering, cancellationToken);
        }

        var changes = await NumberAsync(context, entity, numbered, records, cancellationToken);
        if (checkEach)
        {
            await writer.InsertAsync(context, entity.Name, records.Select(r => r.Row).ToList(), cancellationToken);
        }
        else
        {
            await InsertEachAsync(session, entity, context, records, cancellationToken);
        }

        if (records.Any(r => r.Change.Rejected))
        {
            records = Kept(records, refused);
            if (numbered.Count > 0)
            {
                // A refused record uses up no number: the others are numbered and written again, without it.
                await transaction.RollbackToSavepointAsync(Numbering, cancellationToken);
                changes = await NumberAsync(context, entity, numbered, records, cancellationToken);
                await writer.InsertAsync(context, entity.Name, records.Select(r => r.Row).ToList(), cancellationToken);
            }
            else
            {
                changes = records.Select(r => new List<FieldChange>(r.Changes)).ToList();
            }
        }

        if (records.Count == 0)
        {
            return 0;
        }

        var rows = records.Select(r => r.Row).ToList();
        foreach (var companion in _companions)
        {
            await companion.WrittenAsync(context, records.Select(r => (r.Change, r.Row)).ToList(), cancellationToken);
        }

        if (context.ChangeTracker.HasChanges())
        {
            // Rows the companions added rather than bulk-inserted.
            await context.SaveChangesAsync(cancellationToken);
        }

        if (SearchDocument.Columns(entity).Count > 0)
        {
            await search.IndexNewAsync(context, entity.Name, rows.Select(r => ((Guid)r[RecordColumns.Id]!, SearchDocument.Text(entity, r)!)).ToList(), cancellationToken);
        }

        // The audit trail and the after stage see each imported record as a create (version 1, a direct write).
        var logged = records.Select((r, i) => ChangeLog.Rows(entity.Name, r.Change.RecordId, RecordOperation.Create, 1, (DateTime)r.Row[RecordColumns.CreatedAt]!,
            session.Principal.UserId, changes[i], depth: 1)).ToList();
        await writer.InsertAsync(context, logged.Select(l => l.Audit).ToList(), cancellationToken);
        await writer.InsertAsync(context, logged.Select(l => l.Outbox).ToList(), cancellationToken);
        if (!dryRun)
        {
            await unit.CompleteAsync(cancellationToken);
            outbox.Notify(session.TenantId);
        }

        return rows.Count;
    }

    /// <summary>
    /// Gives the records their auto-numbers, on copies of their changes (a batch the store refuses is
    /// written again, record by record); the changes each record's audit and outbox rows report.
    /// </summary>
    private static async Task<List<List<FieldChange>>> NumberAsync(TenantDbContext context, EntityDefinition entity, List<FieldDefinition> numbered, List<Prepared> records, CancellationToken cancellationToken)
    {
        var changes = records.Select(r => new List<FieldChange>(r.Changes)).ToList();
        foreach (var field in numbered)
        {
            for (var i = 0; i < records.Count; i++)
            {
                var number = AutoNumberKind.Format(field.AutoNumberFormat!, await Sequences.NextAsync(context, Sequences.NameOf(entity.Name, field.Name), cancellationToken), (DateTime)records[i].Row[RecordColumns.CreatedAt]!);
                records[i].Row[field.ColumnName] = number;
                changes[i].Add(new FieldChange(field.Name, null, number));
            }
        }

        return changes;
    }

    /// <summary>
    /// Writes the records in the unit's transaction. Where the store refuses rows alone, a record
    /// breaking a constraint is checked in that transaction for the exact reason (the field whose value
    /// is taken, the lookup to nothing; the batch's own earlier records count) and its change refused;
    /// elsewhere the records are written all at once, and a failure is the whole batch's.
    /// </summary>
    private async Task InsertEachAsync(CrmSession session, EntityDefinition entity, TenantDbContext context, List<Prepared> records, CancellationToken cancellationToken)
    {
        var rows = records.Select(r => r.Row).ToList();
        var failures = new List<Exception>();
        var positions = await writer.TryInsertEachAsync(context, entity.Name, rows, e =>
        {
            var isRowFailure = IsConstraintFailure(session, e);
            if (isRowFailure)
            {
                failures.Add(e);
            }

            return isRowFailure;
        }, cancellationToken);
        if (positions is null)
        {
            await writer.InsertAsync(context, entity.Name, rows, cancellationToken);
            return;
        }

        for (var i = 0; i < positions.Count; i++)
        {
            var record = records[positions[i]];
            await WriteChecks.RunAsync(record.Change, context, cancellationToken, everyLookup: true);
            if (!record.Change.Rejected)
            {
                Refuse(session, entity, record, failures[i]);
            }
        }
    }

    /// <summary>The records not refused; the refused ones' errors go to <paramref name="refused"/>.</summary>
    private static List<Prepared> Kept(List<Prepared> records, List<(int, IReadOnlyList<CrmError>)> refused)
    {
        foreach (var record in records.Where(r => r.Change.Rejected))
        {
            refused.Add((record.Index, record.Change.Errors.ToList()));
        }

        return records.Where(r => !r.Change.Rejected).ToList();
    }

    /// <summary>A record the store refused for a reason the checks did not find (a concurrent writer took the value first).</summary>
    private static void Refuse(CrmSession session, EntityDefinition entity, Prepared record, Exception e)
    {
        var unique = session.Store.Provider.IsUniqueViolation(e);
        record.Change.Errors.Add(new CrmError(unique ? ErrorCodes.UniqueViolation : ErrorCodes.LookupNotFound,
            unique ? $"Another {entity.Name} already has one of these unique values." : "A lookup points to a record that does not exist."));
    }
}
