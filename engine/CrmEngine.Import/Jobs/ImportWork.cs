using System.Threading.Channels;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Import.Files;
using CrmEngine.Import.Mapping;
using Microsoft.Extensions.Options;

namespace CrmEngine.Import.Jobs;

/// <summary>
/// Runs one import over its file, a batch of rows at a time, streaming (a few batches in memory): cells
/// are read into field values, lookup text is matched to records, an upsert finds the records its
/// rows update; then creates go through the bulk path (<see cref="RecordImporter"/>: validation,
/// hooks and rules, audit and outbox) and updates through the record pipeline, so every row is
/// written as any write is. A refused row writes nothing and is reported with its errors; the
/// others are kept. Progress is saved after each batch.
/// </summary>
public sealed class ImportWork(RecordImporter importer, RecordPipeline pipeline, RecordMatches matches, ImportJobStore jobs, IOptions<ImportOptions> options)
{
    public async Task RunAsync(CrmSession session, Guid jobId, ImportRequest request, string path, ImportFormat format, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(request.Entity);
        using var table = ImportTable.Open(path, format);
        var map = ColumnMap.Resolve(entity, table.Headers, request.Mapping);
        var lookups = new LookupResolver(matches, session, entity, request.LookupBy);
        var upsertBy = request.Mode == ImportMode.Upsert ? entity.FindField(request.UpsertBy!) : null;
        await jobs.StartedAsync(session, jobId, table.Headers, map.Unmapped, cancellationToken);

        // The file is read and its cells converted a batch ahead, on another thread, while the batch
        // before is written: at most three batches are in memory (read, waiting, written).
        var batches = Channel.CreateBounded<List<PendingRow>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAsync(table, map, options.Value.BatchSize, batches.Writer, stopReading.Token), CancellationToken.None);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                await WriteAsync(session, jobId, entity, request, upsertBy, lookups, batch, map, cancellationToken);
            }
        }
        finally
        {
            // Written or failed: the reader stops before the file is closed.
            await stopReading.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // A file unreadable part way fails the job after the batches read before it are written.
        await reading;
    }

    private static async Task ReadAsync(ImportTable table, ColumnMap map, int size, ChannelWriter<List<PendingRow>> batches, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<PendingRow>(size);
            foreach (var row in table.Rows())
            {
                batch.Add(Read(map, row));
                if (batch.Count == size)
                {
                    await batches.WriteAsync(batch, cancellationToken);
                    batch = new List<PendingRow>(size);
                }
            }

            if (batch.Count > 0)
            {
                await batches.WriteAsync(batch, cancellationToken);
            }
        }
        finally
        {
            batches.Complete();
        }
    }

    private static PendingRow Read(ColumnMap map, ImportRow row)
    {
        var pending = new PendingRow(row);
        foreach (var column in map.Columns)
        {
            var cell = column.Index < row.Cells.Length ? row.Cells[column.Index] : null;
            if (CellValues.IsEmpty(cell))
            {
                continue;
            }

            var (value, error) = CellValues.Read(column.Field, cell!);
            if (error is null)
            {
                pending.Values[column.Field.Name] = value;
            }
            else
            {
                pending.Errors.Add(error);
            }
        }

        return pending;
    }

    private async Task WriteAsync(CrmSession session, Guid jobId, EntityDefinition entity, ImportRequest request, FieldDefinition? upsertBy, LookupResolver lookups, List<PendingRow> batch, ColumnMap map, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await lookups.ResolveAsync(batch.Select(r => (r.Values, r.Errors)).ToList(), cancellationToken);
        if (upsertBy is not null)
        {
            await FindExistingAsync(session, entity, upsertBy, batch, cancellationToken);
        }

        var outcome = new BatchOutcome();
        outcome.Refused.AddRange(batch.Where(r => r.Errors.Count > 0));
        var creates = batch.Where(r => r.Errors.Count == 0 && r.Existing is null).ToList();
        if (creates.Count > 0)
        {
            var result = await importer.ImportAsync(session, entity.Name, creates.Select(r => (IReadOnlyDictionary<string, object?>)r.Values), creates.Count, request.DryRun, cancellationToken);
            foreach (var (index, errors) in result.Refused)
            {
                creates[index].Errors.AddRange(errors);
                outcome.Refused.Add(creates[index]);
            }

            outcome.Created = result.Imported;
        }

        foreach (var row in batch.Where(r => r.Errors.Count == 0 && r.Existing is not null))
        {
            var errors = request.DryRun ? CheckUpdate(session, entity, row) : (await pipeline.UpdateAsync(session, entity.Name, row.Existing!.Value, null, row.Values, cancellationToken)).Errors;
            if (errors.Count == 0)
            {
                outcome.Updated++;
            }
            else
            {
                row.Errors.AddRange(errors);
                outcome.Refused.Add(row);
            }
        }

        outcome.Refused.Sort((a, b) => a.Row.Number.CompareTo(b.Row.Number));
        await jobs.ProgressAsync(session, jobId, batch.Count, outcome, map, cancellationToken);
    }

    /// <summary>Rows whose key names a record the caller can read update it; a key naming several is refused.</summary>
    private async Task FindExistingAsync(CrmSession session, EntityDefinition entity, FieldDefinition key, List<PendingRow> batch, CancellationToken cancellationToken)
    {
        var keyed = batch.Where(r => r.Errors.Count == 0 && r.Values.GetValueOrDefault(key.Name) is not null).ToList();
        var values = keyed.Select(r => RecordMatches.Normalized(key, r.Values[key.Name]!)).OfType<object>().Distinct().ToList();
        var found = await matches.FindAsync(session, entity, key, values, cancellationToken);
        foreach (var row in keyed)
        {
            if (RecordMatches.KeyOf(key, row.Values[key.Name]) is { } text && found.TryGetValue(text, out var ids))
            {
                if (ids.Count == 1)
                {
                    row.Existing = ids[0];
                }
                else
                {
                    row.Errors.Add(new CrmError(ErrorCodes.UniqueViolation, $"{ids.Count} {entity.PluralName} have {key.Name} '{text}'; an upsert needs one.", key.Name));
                }
            }
        }
    }

    /// <summary>A dry run's update: the values and the caller's rights to write them, without the write.</summary>
    private static List<CrmError> CheckUpdate(CrmSession session, EntityDefinition entity, PendingRow row)
    {
        var errors = new List<CrmError>();
        var values = WriteInput.Normalize(entity, row.Values, errors);
        if (session.Permissions.Scope(entity.Name, RecordAction.Update) == AccessScope.None)
        {
            errors.Add(new CrmError(ErrorCodes.Forbidden, $"You have no right to update {entity.Name} records."));
        }

        errors.AddRange(values.Keys.Where(f => !session.Permissions.CanWrite(entity.Name, f, RecordAction.Update))
            .Select(f => new CrmError(ErrorCodes.Forbidden, $"You may not write '{f}' of {entity.Name}.", f)));
        return errors;
    }
}
