using System.Globalization;
using System.Text.Json;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Guard;
using CrmEngine.GraphQL.Schema;
using GraphQL;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// GraphQL over HTTP, per the GraphQL-over-HTTP spec: POST with a JSON body or GET with query
/// parameters (queries only), answered as application/graphql-response+json (with 4xx for request
/// errors) or application/json (always 200 for well-formed requests), as the client accepts.
/// Every stage, from reading the body to writing the answer, runs under the request's deadline.
/// The handler only transports: the edge filters before it (<see cref="MediaTypeFilters"/>,
/// <see cref="DeadlineFilter"/>, <see cref="CallerSessionFilter"/>) have negotiated the media type,
/// set the deadline, authenticated and rate-limited the caller and opened their tenant session.
/// </summary>
public sealed class GraphQLHttpHandler(
    CrmGraphQLExecutor executor,
    TenantSchemaCache schemas,
    IGraphQLTextSerializer serializer,
    GraphQLRequestReader reader,
    MultipartRequestReader multipart,
    Files.FilesService files,
    RequestRateLimiter rateLimiter,
    ExpensiveRequestGate gate,
    RefusalPacer pacer,
    IOptions<EndpointLimits> limits,
    IOptions<QueryLimits> queryLimits,
    ILogger<GraphQLHttpHandler> logger)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";
    private const string BodyRead = "crm:body-read";

    /// <summary>POST /graphql, past the edge filters: reads the body (one operation or a batch) and runs it.</summary>
    public async Task HandlePostAsync(HttpContext http)
    {
        var (mediaType, deadline, session) = GraphQLRequestFeature.Of(http);
        if (MultipartRequestReader.IsMultipart(http.Request))
        {
            await HandleUploadAsync(http, mediaType, deadline, session);
            return;
        }

        var maxBody = limits.Value.MaxBodyBytes;
        if (http.Request.ContentLength > maxBody)
        {
            await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, mediaType, ErrorCodes.BadRequest, $"The request body is larger than the {maxBody} bytes allowed.");
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBody;
        }

        // A body announced as large is admitted before it is read; one that grows large while arriving, when it does.
        var caller = RequestRateLimiter.CallerOf(session.Principal);
        var admission = http.Request.ContentLength >= gate.BodyBytes ? await gate.EnterAsync(session.TenantId, caller, deadline.Token) : null;
        try
        {
            if (admission is { Granted: false })
            {
                await RefuseAsync(http, mediaType, admission);
                return;
            }

            var body = new GatedBody(http.Request.Body, gate.BodyBytes, ct => gate.EnterAsync(session.TenantId, caller, ct), admission);
            List<CrmGraphQLRequest> requests;
            bool batched;
            try
            {
                (requests, batched) = await reader.ReadPostAsync(body, deadline.Token);
                http.Items[BodyRead] = true;
            }
            catch (AdmissionRefusedException e)
            {
                await RefuseAsync(http, mediaType, e.Admission);
                return;
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, mediaType, ErrorCodes.BadRequest, $"The request body is larger than the {maxBody} bytes allowed.");
                return;
            }
            catch (BadGraphQLRequestException e)
            {
                await WriteErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, e.Code, e.Message);
                return;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                await WriteErrorAsync(http, StatusCodes.Status408RequestTimeout, mediaType, ErrorCodes.Timeout,
                    $"The request body did not arrive within {limits.Value.ExecutionTimeout.TotalSeconds:0.#} s.");
                return;
            }
            finally
            {
                admission ??= body.Admission;
            }

            // The first operation was counted when the caller was let in; a batch pays for the rest.
            if (requests.Count > 1 && !await rateLimiter.ChargeAsync(http, mediaType, session.Principal, requests.Count - 1))
            {
                return;
            }

            await ExecuteAsync(http, session, requests, batched, admission, mediaType, deadline);
        }
        finally
        {
            admission?.Dispose();
        }
    }

    /// <summary>
    /// A multipart POST (files with the operations, see <see cref="MultipartRequestReader"/>; the edge
    /// required its preflight header): the body may hold the tenant's largest files, each refused as
    /// soon as it passes the size limit or turns out to be of a type the tenant does not accept, with
    /// nothing stored and nothing run. Uploads skip the expensive-request gate: receiving a file costs
    /// disk, not parsing.
    /// </summary>
    private async Task HandleUploadAsync(HttpContext http, string mediaType, CancellationTokenSource deadline, CrmSession session)
    {
        var fileLimits = files.LimitsOf(session.TenantId);
        var maxBody = (2 * limits.Value.MaxBodyBytes) + (fileLimits.MaxBytes * fileLimits.MaxFiles);
        if (http.Request.ContentLength > maxBody)
        {
            await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, mediaType, ErrorCodes.FileTooLarge, $"The request body is larger than the {maxBody} bytes allowed.");
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBody;
        }

        List<CrmGraphQLRequest> requests;
        bool batched;
        try
        {
            (requests, batched) = await multipart.ReadAsync(http, fileLimits, deadline.Token);
            http.Items[BodyRead] = true;
        }
        catch (BadGraphQLRequestException e)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, e.Code, e.Message);
            return;
        }
        catch (CrmException e) when (e.Code is ErrorCodes.FileTooLarge or ErrorCodes.FileTypeNotAllowed)
        {
            var status = e.Code == ErrorCodes.FileTooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status415UnsupportedMediaType;
            await WriteErrorAsync(http, status, mediaType, e.Code, e.Message);
            return;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, mediaType, ErrorCodes.FileTooLarge, $"The request body is larger than the {maxBody} bytes allowed.");
            return;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            await WriteErrorAsync(http, StatusCodes.Status408RequestTimeout, mediaType, ErrorCodes.Timeout,
                $"The request body did not arrive within {limits.Value.ExecutionTimeout.TotalSeconds:0.#} s.");
            return;
        }

        if (requests.Count > 1 && !await rateLimiter.ChargeAsync(http, mediaType, session.Principal, requests.Count - 1))
        {
            return;
        }

        await ExecuteAsync(http, session, requests, batched, admitted: null, mediaType, deadline);
    }

    /// <summary>GET /graphql, past the edge filters: a query in the query string.</summary>
    public async Task HandleGetAsync(HttpContext http)
    {
        var (mediaType, deadline, session) = GraphQLRequestFeature.Of(http);
        CrmGraphQLRequest request;
        try
        {
            request = reader.ReadGet(http.Request.Query);
        }
        catch (BadGraphQLRequestException e)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, e.Code, e.Message);
            return;
        }

        if (request.Operation is OperationType.Mutation or OperationType.Subscription)
        {
            http.Response.Headers.Allow = "POST";
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, mediaType, ErrorCodes.BadRequest, "Mutations must be sent with POST.");
            return;
        }

        await ExecuteAsync(http, session, [request], batched: false, admitted: null, mediaType, deadline);
    }

    /// <summary>GET /graphql/schema.graphql: the caller's tenant schema as SDL.</summary>
    public async Task HandleSchemaAsync(HttpContext http)
    {
        var (_, deadline, session) = GraphQLRequestFeature.Of(http);
        if (!queryLimits.Value.Introspection)
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, Json, ErrorCodes.IntrospectionDisabled, "Introspection, and with it the schema download, is turned off on this server.");
            return;
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.ContentDisposition = "inline; filename=schema.graphql";
        await http.Response.WriteAsync(schemas.Get(session).Print(), deadline.Token);
    }

    /// <summary>
    /// Prepares every operation (parse and guard: linear, bounded work), admits the request past the
    /// expensive-request gate when it is expensive and was not admitted for its body already, then runs the operations in order (a batch each
    /// in its own transaction) and writes the answer: a batch's array of results, always 200, or one
    /// result, 400 for a request error where the client speaks the new media type.
    /// </summary>
    private async Task ExecuteAsync(HttpContext http, CrmSession session, List<CrmGraphQLRequest> requests, bool batched, ExpensiveRequestGate.Admission? admitted, string mediaType, CancellationTokenSource deadline)
    {
        var caller = RequestRateLimiter.CallerOf(session.Principal);

        // Once a key's expensive time is spent, documents the host knows (validated before, cheap to
        // run) still run, but a new one is refused before it is parsed: parsing is what a flood of
        // hostile documents costs.
        if (admitted is null && gate.Spent(session.TenantId, caller) is { } spent && requests.Any(r => !executor.IsKnown(session, r.Query)))
        {
            await RefuseAsync(http, mediaType, spent);
            return;
        }

        // A large document the host has not validated before is parsed and walked before its shape
        // says whether validating it is expensive: that work is admitted first, so one key's burst
        // of such documents runs one at a time and within its time budget, like any expensive request.
        using var early = admitted is null && requests.Any(r => r.Query.Length >= gate.DocumentChars && !executor.IsKnown(session, r.Query))
            ? await gate.EnterAsync(session.TenantId, caller, deadline.Token)
            : null;
        if (early is { Granted: false })
        {
            await RefuseAsync(http, mediaType, early);
            return;
        }

        var prepared = gate.Prepare(session.TenantId, caller, () => requests.Select(r => executor.Prepare(session, r)).ToList(), all => all.Any(p => p.Refusal is not null && !p.Cached));
        using var admission = (admitted ?? early) is null && gate.IsExpensive(prepared)
            ? await gate.EnterAsync(session.TenantId, caller, deadline.Token)
            : null;
        if (admission is { Granted: false })
        {
            await RefuseAsync(http, mediaType, admission);
            return;
        }

        var locale = http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault()?.Value.Value;
        var results = new List<ExecutionResult>(prepared.Count);
        foreach (var operation in prepared)
        {
            if (await RunAsync(http, operation, locale, mediaType, deadline, results.Count) is not { } result)
            {
                return;
            }

            results.Add(result);
        }

        // A request error (syntax, validation, variables, limits) means nothing executed: 400 where
        // the client speaks the new media type, 200 for legacy application/json clients.
        http.Response.StatusCode = !batched && !results[0].Executed && mediaType == GraphQLResponseJson ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        if (batched)
        {
            await serializer.WriteAsync(http.Response.Body, results, deadline.Token);
        }
        else
        {
            await serializer.WriteAsync(http.Response.Body, results[0], deadline.Token);
        }
    }

    /// <summary>429 for a request the expensive-request gate did not admit.</summary>
    private async Task RefuseAsync(HttpContext http, string mediaType, ExpensiveRequestGate.Admission admission)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(admission.RetryAfter.TotalSeconds));
        await pacer.HoldAsync(admission.RetryAfter, http.RequestAborted);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, mediaType, ErrorCodes.TooManyConcurrentRequests,
            $"{admission.Refusal}; retry after {seconds} s, or ask for less per request.");
    }

    /// <summary>Runs one operation, or answers the whole request with 504/500 and returns null.</summary>
    private async Task<ExecutionResult?> RunAsync(HttpContext http, PreparedRequest operation, string? locale, string mediaType, CancellationTokenSource deadline, int completed)
    {
        try
        {
            return await executor.ExecuteAsync(operation, locale, http.RequestServices, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("A request for tenant {Tenant} ran past {Timeout} and was stopped.", operation.Session.TenantId, limits.Value.ExecutionTimeout);
            var done = completed == 0 ? "" : $" The first {completed} operation(s) of the batch had completed and were kept.";
            await WriteErrorAsync(http, StatusCodes.Status504GatewayTimeout, mediaType, ErrorCodes.Timeout,
                $"The request took longer than {limits.Value.ExecutionTimeout.TotalSeconds:0.#} s and was stopped; nothing the running operation was writing was kept.{done}");
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "GraphQL request for tenant {Tenant} failed before execution.", operation.Session.TenantId);
            await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, mediaType, ErrorCodes.InternalError, "An internal error occurred; it has been logged.");
            return null;
        }
    }

    /// <summary>
    /// Writes a transport error. A request refused before its body was read (unauthenticated, rate
    /// limited, too large, not admitted) has its connection closed after the answer, so the server
    /// never reads a body it refused: keeping the connection would mean draining it first.
    /// </summary>
    public static async Task WriteErrorAsync(HttpContext http, int status, string mediaType, string code, string message)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.ContentLength != 0 && !http.Items.ContainsKey(BodyRead) && !http.Response.HasStarted)
        {
            http.Response.Headers.Connection = "close";
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new { errors = new[] { new { message, extensions = new { code, correlationId = Correlation.Current } } } }, CrmEngine.GraphQL.Execution.Writing.ResponseJson.Options, http.RequestAborted);
    }
}
