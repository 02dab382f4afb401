using System.Globalization;
using System.Text.Json;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Guard;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Host.Security;
using GraphQL;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CrmEngine.Host.Http;

/// <summary>
/// GraphQL over HTTP, per the GraphQL-over-HTTP spec: POST with a JSON body or GET with query
/// parameters (queries only), answered as application/graphql-response+json (with 4xx for request
/// errors) or application/json (always 200 for well-formed requests), as the client accepts.
/// Every stage, from reading the body to writing the answer, runs under the request's deadline.
/// </summary>
public sealed class GraphQLHttpHandler(
    CrmGraphQLExecutor executor,
    TenantRegistry tenants,
    TenantSchemaCache schemas,
    IGraphQLTextSerializer serializer,
    GraphQLRequestReader reader,
    RequestRateLimiter rateLimiter,
    ExpensiveRequestGate gate,
    IdentityDirectory directory,
    IOptions<EndpointLimits> limits,
    IOptions<QueryLimits> queryLimits,
    ILogger<GraphQLHttpHandler> logger)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";
    private const string BodyRead = "crm:body-read";

    public async Task HandlePostAsync(HttpContext http)
    {
        if (Negotiate(http.Request) is not { } mediaType)
        {
            await WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, Json, ErrorCodes.BadRequest, $"Accept {GraphQLResponseJson} or {Json}.");
            return;
        }

        var contentType = http.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || !parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)
            || (parsed.Charset.HasValue && !parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            await WriteErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, mediaType, ErrorCodes.BadRequest, "Send the request as Content-Type: application/json (UTF-8).");
            return;
        }

        await WithDeadlineAsync(http, mediaType, async deadline =>
        {
            if (await SessionAsync(http, mediaType, deadline.Token) is not { } session)
            {
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
            var caller = CallerOf(session.Principal);
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
                if (requests.Count > 1 && !await ChargeAsync(http, mediaType, session.Principal, requests.Count - 1))
                {
                    return;
                }

                await ExecuteAsync(http, session, requests, batched, admission, mediaType, deadline);
            }
            finally
            {
                admission?.Dispose();
            }
        });
    }

    public async Task HandleGetAsync(HttpContext http)
    {
        if (string.IsNullOrEmpty(http.Request.Query["query"].ToString()) && AcceptsHtml(http.Request))
        {
            await GraphiQLPage.WriteAsync(http, GraphiQLAssets.Instance);
            return;
        }

        if (Negotiate(http.Request) is not { } mediaType)
        {
            await WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, Json, ErrorCodes.BadRequest, $"Accept {GraphQLResponseJson} or {Json}.");
            return;
        }

        await WithDeadlineAsync(http, mediaType, async deadline =>
        {
            if (await SessionAsync(http, mediaType, deadline.Token) is not { } session)
            {
                return;
            }

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
        });
    }

    /// <summary>GET /graphql/schema.graphql: the caller's tenant schema as SDL.</summary>
    public async Task HandleSchemaAsync(HttpContext http)
    {
        await WithDeadlineAsync(http, Json, async deadline =>
        {
            if (await SessionAsync(http, Json, deadline.Token) is not { } session)
            {
                return;
            }

            if (!queryLimits.Value.Introspection)
            {
                await WriteErrorAsync(http, StatusCodes.Status403Forbidden, Json, ErrorCodes.IntrospectionDisabled, "Introspection, and with it the schema download, is turned off on this server.");
                return;
            }

            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = "inline; filename=schema.graphql";
            await http.Response.WriteAsync(schemas.Get(session).Print(), deadline.Token);
        });
    }

    /// <summary>
    /// Prepares every operation (parse and guard: linear, bounded work), admits the request past the
    /// expensive-request gate when it is expensive and was not admitted for its body already, then runs the operations in order (a batch each
    /// in its own transaction) and writes the answer: a batch's array of results, always 200, or one
    /// result, 400 for a request error where the client speaks the new media type.
    /// </summary>
    private async Task ExecuteAsync(HttpContext http, CrmSession session, List<CrmGraphQLRequest> requests, bool batched, ExpensiveRequestGate.Admission? admitted, string mediaType, CancellationTokenSource deadline)
    {
        var prepared = requests.Select(r => executor.Prepare(session, r)).ToList();
        using var admission = admitted is null && gate.IsExpensive(prepared)
            ? await gate.EnterAsync(session.TenantId, CallerOf(session.Principal), deadline.Token)
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
    private static async Task RefuseAsync(HttpContext http, string mediaType, ExpensiveRequestGate.Admission admission)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(admission.RetryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, mediaType, ErrorCodes.TooManyConcurrentRequests,
            $"Too many expensive requests are running for {admission.Exhausted} (at most {admission.Limit} at once); retry after {seconds} s, or ask for less per request.");
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
    /// Runs <paramref name="handle"/> under the request's deadline. A deadline that passes outside
    /// execution (opening the tenant, writing the answer) is answered with 504 while nothing has been
    /// sent, and ends the connection once the answer has started.
    /// </summary>
    private async Task WithDeadlineAsync(HttpContext http, string mediaType, Func<CancellationTokenSource, Task> handle)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(limits.Value.ExecutionTimeout);
        try
        {
            await handle(deadline);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("A request ran past {Timeout} and was stopped.", limits.Value.ExecutionTimeout);
            if (http.Response.HasStarted)
            {
                http.Abort();
                return;
            }

            http.Response.Clear();
            await WriteErrorAsync(http, StatusCodes.Status504GatewayTimeout, mediaType, ErrorCodes.Timeout,
                $"The request took longer than {limits.Value.ExecutionTimeout.TotalSeconds:0.#} s and was stopped.");
        }
    }

    /// <summary>Authenticates the request and opens the caller's tenant, or answers 401.</summary>
    private async Task<CrmSession?> SessionAsync(HttpContext http, string mediaType, CancellationToken cancellationToken)
    {
        var result = await http.AuthenticateAsync(CrmAuthentication.SchemeName);
        if (!result.Succeeded || CrmClaims.ToPrincipal(result.Principal) is not { } principal)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            var message = result.Failure?.Message ?? "An API key is required: send 'Authorization: Bearer <api key>'.";
            await WriteErrorAsync(http, StatusCodes.Status401Unauthorized, mediaType, ErrorCodes.Unauthenticated, message);
            return null;
        }

        if (!await ChargeAsync(http, mediaType, principal, 1))
        {
            return null;
        }

        try
        {
            var store = await tenants.GetAsync(principal.TenantId, cancellationToken);
            // A key acts as its user: once the user is deactivated, their keys stop working too.
            if ((await directory.GetAsync(store, cancellationToken)).Users.GetValueOrDefault(principal.UserId) is { Active: false })
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteErrorAsync(http, StatusCodes.Status401Unauthorized, mediaType, ErrorCodes.Unauthenticated, "The API key's user is deactivated.");
                return null;
            }

            return new CrmSession(store, principal, await directory.PermissionsAsync(store, principal, cancellationToken));
        }
        catch (CrmException e) when (e.Code == ErrorCodes.NotFound)
        {
            logger.LogWarning("Key {Key} names tenant {Tenant}, which does not exist.", principal.KeyId, principal.TenantId);
            await WriteErrorAsync(http, StatusCodes.Status401Unauthorized, mediaType, ErrorCodes.Unauthenticated, "The API key's tenant no longer exists.");
            return null;
        }
    }

    private static string CallerOf(CrmPrincipal principal) => principal.KeyId ?? "user:" + principal.UserId;

    /// <summary>Takes operations from the caller's and the tenant's rate limits, or answers 429; sets the usage headers either way.</summary>
    private async Task<bool> ChargeAsync(HttpContext http, string mediaType, CrmPrincipal principal, int operations)
    {
        var decision = rateLimiter.Acquire(principal.TenantId, CallerOf(principal), operations);
        http.Response.Headers["RateLimit-Limit"] = decision.Limit.Burst.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            return true;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, mediaType, ErrorCodes.RateLimited,
            $"Too many requests for {decision.Exhausted} ({decision.Limit.PermitsPerSecond}/s, bursts of {decision.Limit.Burst}); retry after {seconds} s.");
        return false;
    }

    /// <summary>The response media type the client accepts, preferring the GraphQL one; null when it accepts neither.</summary>
    private static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        foreach (var value in accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var type = value.MediaType.Value;
            if (string.Equals(type, GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseJson;
            }

            if (string.Equals(type, Json, StringComparison.OrdinalIgnoreCase) || type is "*/*" or "application/*")
            {
                return Json;
            }
        }

        return null;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => string.Equals(a.MediaType.Value, "text/html", StringComparison.OrdinalIgnoreCase));

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
