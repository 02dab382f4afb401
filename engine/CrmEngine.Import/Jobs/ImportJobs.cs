using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Import.Files;
using CrmEngine.Import.Mapping;
using CrmEngine.Sdk.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Import.Jobs;

/// <summary>
/// Starts import jobs and tells how they are doing. Starting checks everything that can be checked
/// before a row is read (the entity, the caller's rights, the upsert key, the file's kind, its header
/// row and the mapping), so a wrong request is refused at once with a typed error and no job;
/// then the job is queued on this host (<see cref="ImportRunner"/>), which holds the file.
/// </summary>
public sealed class ImportJobs(ImportWork work, ImportJobStore store, ImportRunner runner, DataDirectory data, IOptions<ImportOptions> options, TimeProvider time, ILogger<ImportJobs> logger)
{
    /// <summary>A new file name in this host's spool for the tenant's uploads; the caller writes the upload there and hands it to <see cref="StartAsync"/>.</summary>
    public string SpoolFile(string tenantId)
    {
        var directory = Path.Combine(Path.GetFullPath(options.Value.SpoolDirectory, data.Path), tenantId);
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Guid.NewGuid().ToString("N") + ".upload");
    }

    /// <summary>Checks the request and the file and queues the job; the file is the job's from here on (deleted when the job ends, or at once if refused).</summary>
    public async Task<ImportJobRow> StartAsync(CrmSession session, ImportRequest request, string path, string fileName, CancellationToken cancellationToken)
    {
        ImportFormat format;
        try
        {
            Check(session, request);
            format = await ImportFormats.DetectAsync(path, cancellationToken);
            using var table = ImportTable.Open(path, format);
            var map = ColumnMap.Resolve(session.Metadata.Get(request.Entity), table.Headers, request.Mapping);
            if (request.Mode == ImportMode.Upsert && map.Columns.All(c => c.Field.Name != request.UpsertBy))
            {
                throw new CrmException(ErrorCodes.InvalidInput, $"No column goes to '{request.UpsertBy}', the field rows are matched on.", "upsertBy");
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        var job = new ImportJobRow
        {
            Id = Guid.CreateVersion7(),
            Entity = request.Entity,
            Mode = request.Mode.ToString(),
            UpsertBy = request.UpsertBy,
            DryRun = request.DryRun,
            Options = JsonSerializer.Serialize(new { request.Mapping, request.LookupBy }),
            FileName = Path.GetFileName(fileName),
            Format = format.ToString(),
            FileBytes = new FileInfo(path).Length,
            Status = nameof(ImportJobStatus.Queued),
            ClaimedBy = runner.HostId,
            CreatedBy = session.Principal.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await store.AddAsync(session, job, cancellationToken);
        runner.Enqueue(job.Id, stopping => RunAsync(session, job.Id, request, path, format, stopping));
        return job;
    }

    /// <summary>The job as the caller may see it; a job its host stopped running is reported (and recorded) as failed.</summary>
    public async Task<ImportJobRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(session, id, cancellationToken);
        if (job is not null && IsInterrupted(job))
        {
            await store.FinishedAsync(session, id, Interrupted, cancellationToken);
            job = await store.GetAsync(session, id, cancellationToken);
        }

        return job;
    }

    private static CrmError Interrupted => new(ErrorCodes.ImportInterrupted, "The host running this import stopped before it ended; the rows written before are kept. Import the rest again (upsert mode avoids duplicates).");

    private bool IsInterrupted(ImportJobRow job) =>
        job.Status is nameof(ImportJobStatus.Queued) or nameof(ImportJobStatus.Running)
        && (job.ClaimedBy == runner.HostId
            ? !runner.Holds(job.Id)
            : job.Status == nameof(ImportJobStatus.Running) && job.HeartbeatAt < time.GetUtcNow().UtcDateTime - options.Value.StaleAfter);

    private static void Check(CrmSession session, ImportRequest request)
    {
        var entity = session.Metadata.Find(request.Entity) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{request.Entity}'.", "entity");
        if (session.Permissions.Scope(entity.Name, RecordAction.Create) == AccessScope.None)
        {
            throw new CrmException(ErrorCodes.Forbidden, $"You have no right to create {entity.Name} records, so you may not import them.");
        }

        if (request.Mode == ImportMode.Upsert)
        {
            if (session.Permissions.Scope(entity.Name, RecordAction.Update) == AccessScope.None)
            {
                throw new CrmException(ErrorCodes.Forbidden, $"You have no right to update {entity.Name} records, so you may not upsert them.");
            }

            if (request.UpsertBy is null || entity.FindField(request.UpsertBy) is not { Unique: true })
            {
                throw new CrmException(ErrorCodes.InvalidInput, $"An upsert matches rows on a unique field of {entity.Name}: name one in upsertBy ({string.Join(", ", entity.ActiveFields.Where(f => f.Unique).Select(f => f.Name))}).", "upsertBy");
            }
        }

        foreach (var (name, by) in request.LookupBy ?? new Dictionary<string, string>())
        {
            if (entity.FindField(name) is not { Type: FieldType.Lookup } lookup || LookupResolver.MatchField(session.Metadata, lookup, request.LookupBy) is null)
            {
                throw new CrmException(ErrorCodes.UnknownField, $"lookupBy names '{name}' → '{by}': '{name}' must be a lookup of {entity.Name} and '{by}' a field of the entity it points to.", "lookupBy");
            }
        }
    }

    private async Task RunAsync(CrmSession session, Guid id, ImportRequest request, string path, ImportFormat format, CancellationToken stopping)
    {
        CrmError? failure = null;
        try
        {
            await work.RunAsync(session, id, request, path, format, stopping);
        }
        catch (CrmException e)
        {
            failure = e.Errors[0];
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            failure = Interrupted;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import job {Job} of tenant {Tenant} failed.", id, session.TenantId);
            failure = new CrmError(ErrorCodes.InternalError, "The import failed on an internal error; it has been logged. Rows written before are kept.");
        }
        finally
        {
            File.Delete(path);
        }

        try
        {
            await store.FinishedAsync(session, id, failure, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import job {Job} of tenant {Tenant} ended but its end could not be recorded.", id, session.TenantId);
        }
    }
}
