using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution.Writing;
using CrmEngine.Host.Http;
using CrmEngine.Import;
using CrmEngine.Import.Jobs;
using CrmEngine.Import.Mapping;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CrmEngine.Host.Import;

/// <summary>
/// The import routes, authenticated as GraphQL is (an API key or a JWT; 401), rate limited with the
/// caller's requests: <c>POST /import/&lt;entity&gt;</c> takes a multipart/form-data body with an
/// optional <c>options</c> part (JSON: mode, upsertBy, dryRun, mapping, lookupBy) and a <c>file</c>
/// part (CSV or XLSX), streams the file to this host's spool within the tenant's size limit (413
/// PAYLOAD_TOO_LARGE past it), and answers 202 with the job (its progress is <c>importJob(id)</c>);
/// <c>GET /import/jobs/&lt;id&gt;/errors.csv</c> downloads a job's error report. Refusals are the
/// API's typed JSON errors: 400 for a wrong request, 403 FORBIDDEN without the right to create the
/// entity's records, 415 for a file that is not UTF-8 CSV or XLSX.
/// </summary>
public sealed class ImportHandler(ImportJobs jobs, ImportReport report, CallerSessionFilter callers, IOptions<ImportOptions> options)
{
    public const string UploadPattern = "/import/{entity}";
    public const string ReportPattern = "/import/jobs/{id}/errors.csv";
    private const int MaxOptionsBytes = 64 * 1024;

    // The options part and the multipart framing come on top of the file.
    private const long FramingBytes = MaxOptionsBytes + (16 * 1024);

    public async Task UploadAsync(HttpContext http, string entity)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (await callers.OpenSessionAsync(http, GraphQLHttpHandler.Json, http.RequestAborted) is not { } session)
        {
            return;
        }

        var limit = options.Value.MaxFileBytesFor(session.TenantId);
        if (http.Request.ContentLength > limit + FramingBytes)
        {
            await TooLargeAsync(http, limit);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit + FramingBytes;
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, [new CrmError(ErrorCodes.BadRequest, "Send the file as multipart/form-data: a 'file' part, and an optional 'options' part (JSON).")]);
            return;
        }

        string? path = null;
        try
        {
            var (request, fileName, spooled) = await ReadAsync(http, session, entity, boundary, limit);
            path = spooled;
            var job = await jobs.StartAsync(session, request, path, fileName, http.RequestAborted);
            path = null;
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            http.Response.Headers.Location = $"/import/jobs/{job.Id}";
            await http.Response.WriteAsJsonAsync(new { id = job.Id.ToString(), status = "QUEUED", entity = job.Entity, format = job.Format.ToUpperInvariant(), dryRun = job.DryRun, fileBytes = job.FileBytes }, ResponseJson.Options, http.RequestAborted);
        }
        catch (UploadTooLargeException)
        {
            await TooLargeAsync(http, limit);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLargeAsync(http, limit);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException && !http.RequestAborted.IsCancellationRequested)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, [new CrmError(ErrorCodes.BadRequest, "The multipart body could not be read.")]);
        }
        catch (CrmException e)
        {
            await HttpErrors.WriteAsync(http, StatusOf(e.Code), e.Errors);
        }
        finally
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    public async Task ReportAsync(HttpContext http, string id)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (await callers.OpenSessionAsync(http, GraphQLHttpHandler.Json, http.RequestAborted) is not { } session)
        {
            return;
        }

        if (!Guid.TryParse(id, out var jobId) || await jobs.GetAsync(session, jobId, http.RequestAborted) is not { } job)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, [new CrmError(ErrorCodes.NotFound, "There is no such import job.")]);
            return;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=import-{job.Id}-errors.csv";
        await report.WriteAsync(session, job, http.Response.Body, http.RequestAborted);
    }

    /// <summary>Reads the parts in order: the options (if any) and the file, written to the spool as it arrives.</summary>
    private async Task<(ImportRequest Request, string FileName, string Path)> ReadAsync(HttpContext http, CrmSession session, string entity, string boundary, long limit)
    {
        var reader = new MultipartReader(boundary, http.Request.Body);
        var request = new ImportRequest(entity);
        while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value;
            if (name == "options")
            {
                request = await ReadOptionsAsync(section.Body, entity, http.RequestAborted);
            }
            else if (name == "file")
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition!.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload";
                var path = jobs.SpoolFile(session.TenantId);
                try
                {
                    await CopyAsync(section.Body, path, limit, http.RequestAborted);
                }
                catch
                {
                    File.Delete(path);
                    throw;
                }

                return (request, fileName, path);
            }
        }

        throw new CrmException(ErrorCodes.BadRequest, "The body has no 'file' part (send the options part, if any, before it).", "file");
    }

    private static async Task<ImportRequest> ReadOptionsAsync(Stream body, string entity, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxOptionsBytes + 1];
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (length > MaxOptionsBytes)
        {
            throw new CrmException(ErrorCodes.BadRequest, $"The options part is larger than {MaxOptionsBytes} bytes.", "options");
        }

        try
        {
            var given = JsonSerializer.Deserialize<OptionsPart>(buffer.AsSpan(0, length), OptionsJson) ?? new OptionsPart();
            var mode = given.Mode is null ? ImportMode.Create
                : Enum.TryParse<ImportMode>(given.Mode, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
                : throw new CrmException(ErrorCodes.InvalidInput, $"mode is '{given.Mode}'; use CREATE or UPSERT.", "mode");
            return new ImportRequest(entity, mode, given.UpsertBy, given.DryRun, given.Mapping, given.LookupBy);
        }
        catch (JsonException e)
        {
            throw new CrmException(ErrorCodes.BadRequest, $"The options part is not the JSON expected: {e.Message}", "options");
        }
    }

    private static readonly JsonSerializerOptions OptionsJson = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    private sealed record OptionsPart(string? Mode = null, string? UpsertBy = null, bool DryRun = false, Dictionary<string, string?>? Mapping = null, Dictionary<string, string>? LookupBy = null);

    private static async Task CopyAsync(Stream source, string path, long limit, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new UploadTooLargeException();
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static int StatusOf(string code) => code switch
    {
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.UnknownEntity => StatusCodes.Status404NotFound,
        ErrorCodes.ImportFileNotSupported or ErrorCodes.ImportFileNotUtf8 => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    private static Task TooLargeAsync(HttpContext http, long limit)
    {
        http.Response.Headers.Connection = "close";
        return HttpErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, [new CrmError(ErrorCodes.PayloadTooLarge, $"The file is larger than the {limit} bytes this tenant may import at once; split it.", "file")]);
    }

    private sealed class UploadTooLargeException : Exception;
}
