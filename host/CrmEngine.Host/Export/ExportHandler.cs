using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Export;
using CrmEngine.Host.Http;
using GraphQL;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Export;

/// <summary>
/// <c>POST /export?format=csv|xlsx</c>: any list query, sent as to /graphql (a JSON body with query,
/// variables, operationName), answered as a file of its records, one row per record and one column
/// per field selected under <c>nodes</c> (lookups' fields as <c>account.name</c>). The query runs as
/// the caller, page after page, with the same guards and rights as at /graphql, so an export holds
/// one page in memory whatever its size. Refusals before the first row are the API's JSON errors
/// (400, 401, 415, 429); a page failing after rows went out aborts the response, so a cut file is
/// never taken for a whole one.
/// </summary>
public sealed class ExportHandler(GraphQLRequestReader reader, CrmGraphQLExecutor executor, IGraphQLTextSerializer serializer, CallerSessionFilter callers, IOptions<CrmEngineOptions> options)
{
    public const string Pattern = "/export";

    public async Task ExportAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        var format = http.Request.Query["format"].ToString() is { Length: > 0 } asked ? asked.ToLowerInvariant() : "csv";
        if (format is not ("csv" or "xlsx"))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, [new CrmError(ErrorCodes.BadRequest, "format is csv or xlsx.", "format")]);
            return;
        }

        if (!MediaTypeFilters.IsJson(http.Request.ContentType))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, [new CrmError(ErrorCodes.BadRequest, "Send the query as application/json, as to /graphql.")]);
            return;
        }

        if (await callers.OpenSessionAsync(http, GraphQLHttpHandler.Json, http.RequestAborted) is not { } session)
        {
            return;
        }

        ExportPages? pages = null;
        try
        {
            var (requests, batched) = await reader.ReadPostAsync(http.Request.Body, http.RequestAborted);
            if (batched)
            {
                throw new CrmException(ErrorCodes.BadRequest, "An export runs one query, not a batch.");
            }

            var request = requests[0];
            var (document, syntax) = request.Document is { } parsed ? (parsed, null) : DocumentParsing.Parse(request.Query);
            if (syntax is not null)
            {
                throw new CrmException(syntax.Code ?? ErrorCodes.SyntaxError, syntax.Message);
            }

            var plan = ExportPlan.Make(document!, request.OperationName);
            var locale = http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault()?.Value.Value;
            pages = new ExportPages(executor, serializer, session, request, plan, locale, http.RequestServices, options.Value.MaxPageSize);
            var first = await pages.ReadAsync(null, http.RequestAborted);
            if (first.Refusal is { } refusal)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                http.Response.ContentType = GraphQLHttpHandler.Json + "; charset=utf-8";
                await http.Response.Body.WriteAsync(refusal, http.RequestAborted);
                return;
            }

            var name = plan.RootKey + "." + format;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            if (format == "csv")
            {
                http.Response.ContentType = "text/csv; charset=utf-8";
                await ExportWriters.WriteCsvAsync(http.Response.Body, plan.Columns, AllAsync(pages, first, http), http.RequestAborted);
            }
            else
            {
                http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                await SendXlsxAsync(http, plan, pages, first);
            }
        }
        catch (BadGraphQLRequestException e)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, [new CrmError(ErrorCodes.BadRequest, e.Message)]);
        }
        catch (CrmException e) when (!http.Response.HasStarted)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, e.Errors);
        }
        catch (ExportCutException)
        {
            // Rows went out already: only a broken connection tells the client the file is not whole.
            http.Abort();
        }
        finally
        {
            pages?.Dispose();
        }
    }

    /// <summary>The pages from the first one read, until the list has no more; a page refused midway cuts the export.</summary>
    private static async IAsyncEnumerable<List<object?[]>> AllAsync(ExportPages pages, ExportPage first, HttpContext http)
    {
        for (var page = first; ; page = await pages.ReadAsync(page.EndCursor, http.RequestAborted))
        {
            if (page.Refusal is not null)
            {
                throw new ExportCutException();
            }

            yield return page.Rows;
            if (!page.HasNext)
            {
                yield break;
            }
        }
    }

    private static async Task SendXlsxAsync(HttpContext http, ExportPlan plan, ExportPages pages, ExportPage first)
    {
        var path = Path.Combine(Path.GetTempPath(), "crm-export-" + Guid.NewGuid().ToString("N") + ".xlsx");
        try
        {
            // MiniExcel writes from an enumerable on a thread of its own; the pages are read as it asks for them.
            await Task.Run(() => ExportWriters.WriteXlsx(path, plan.Columns, Blocking(AllAsync(pages, first, http))), http.RequestAborted);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            http.Response.ContentLength = file.Length;
            await file.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
        catch (ExportCutException)
        {
            // Nothing sent yet: say so plainly.
            await HttpErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, [new CrmError(ErrorCodes.BadRequest, "The export stopped before its end: a page of the list could not be read. Try again.")]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<T> Blocking<T>(IAsyncEnumerable<T> source)
    {
        var enumerator = source.GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                yield return enumerator.Current;
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed class ExportCutException : Exception;
}
