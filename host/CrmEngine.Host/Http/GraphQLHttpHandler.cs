using System.Globalization;
using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Execution;
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
/// </summary>
public sealed class GraphQLHttpHandler(
    CrmGraphQLExecutor executor,
    TenantRegistry tenants,
    TenantSchemaCache schemas,
    IGraphQLTextSerializer serializer,
    RequestRateLimiter rateLimiter,
    IdentityDirectory directory,
    IOptions<EndpointLimits> limits,
    IOptions<QueryLimits> queryLimits,
    ILogger<GraphQLHttpHandler> logger)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";
    private const int MaxJsonDepth = 64;

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

        if (await SessionAsync(http, mediaType) is not { } session)
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

        List<CrmGraphQLRequest> requests;
        bool batched;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth }, http.RequestAborted);
            batched = body.RootElement.ValueKind == JsonValueKind.Array;
            requests = batched ? ReadBatch(body.RootElement) : [ReadBody(body.RootElement)];
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, mediaType, ErrorCodes.BadRequest, $"The request body is larger than the {maxBody} bytes allowed.");
            return;
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, ErrorCodes.BadRequest, $"The request body is not valid JSON: {e.Message}");
            return;
        }
        catch (BadRequestException e)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, e.Code, e.Message);
            return;
        }

        // The first operation was counted when the caller was let in; a batch pays for the rest.
        if (requests.Count > 1 && !await ChargeAsync(http, mediaType, session.Principal, requests.Count - 1))
        {
            return;
        }

        if (batched)
        {
            await ExecuteBatchAsync(http, session, requests, mediaType);
        }
        else
        {
            await ExecuteAsync(http, session, requests[0], mediaType);
        }
    }

    public async Task HandleGetAsync(HttpContext http)
    {
        var query = http.Request.Query["query"].ToString();
        if (string.IsNullOrEmpty(query) && AcceptsHtml(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(GraphiQLPage.Html, http.RequestAborted);
            return;
        }

        if (Negotiate(http.Request) is not { } mediaType)
        {
            await WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, Json, ErrorCodes.BadRequest, $"Accept {GraphQLResponseJson} or {Json}.");
            return;
        }

        if (await SessionAsync(http, mediaType) is not { } session)
        {
            return;
        }

        CrmGraphQLRequest request;
        try
        {
            if (string.IsNullOrEmpty(query))
            {
                throw new BadRequestException("Pass the GraphQL document in the 'query' parameter.");
            }

            request = CrmGraphQLRequest.Parse(query, NullIfEmpty(http.Request.Query["operationName"]), ParseJsonParameter(http, "variables"), ParseJsonParameter(http, "extensions"));
        }
        catch (BadRequestException e)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, ErrorCodes.BadRequest, e.Message);
            return;
        }

        if (request.Operation is OperationType.Mutation or OperationType.Subscription)
        {
            http.Response.Headers.Allow = "POST";
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, mediaType, ErrorCodes.BadRequest, "Mutations must be sent with POST.");
            return;
        }

        await ExecuteAsync(http, session, request, mediaType);
    }

    /// <summary>GET /graphql/schema.graphql: the caller's tenant schema as SDL.</summary>
    public async Task HandleSchemaAsync(HttpContext http)
    {
        if (await SessionAsync(http, Json) is not { } session)
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
        await http.Response.WriteAsync(schemas.Get(session).Print(), http.RequestAborted);
    }

    private async Task ExecuteAsync(HttpContext http, CrmSession session, CrmGraphQLRequest request, string mediaType)
    {
        using var deadline = Deadline(http);
        if (await RunAsync(http, session, request, mediaType, deadline, 0) is not { } result)
        {
            return;
        }

        // A request error (syntax, validation, variables, limits) means nothing executed: 400 where
        // the client speaks the new media type, 200 for legacy application/json clients.
        http.Response.StatusCode = !result.Executed && mediaType == GraphQLResponseJson ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    /// <summary>
    /// A JSON array of operations, run in order (as Apollo and graphql-dotnet's server batch), each
    /// in its own transaction; the answer is the array of their results, always 200.
    /// </summary>
    private async Task ExecuteBatchAsync(HttpContext http, CrmSession session, List<CrmGraphQLRequest> requests, string mediaType)
    {
        using var deadline = Deadline(http);
        var results = new List<ExecutionResult>(requests.Count);
        foreach (var request in requests)
        {
            if (await RunAsync(http, session, request, mediaType, deadline, results.Count) is not { } result)
            {
                return;
            }

            results.Add(result);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, results, http.RequestAborted);
    }

    private CancellationTokenSource Deadline(HttpContext http)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(limits.Value.ExecutionTimeout);
        return deadline;
    }

    /// <summary>Runs one operation, or answers the whole request with 504/500 and returns null.</summary>
    private async Task<ExecutionResult?> RunAsync(HttpContext http, CrmSession session, CrmGraphQLRequest request, string mediaType, CancellationTokenSource deadline, int completed)
    {
        var locale = http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault()?.Value.Value;
        try
        {
            return await executor.ExecuteAsync(session, request, locale, http.RequestServices, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("A request for tenant {Tenant} ran past {Timeout} and was stopped.", session.TenantId, limits.Value.ExecutionTimeout);
            var done = completed == 0 ? "" : $" The first {completed} operation(s) of the batch had completed and were kept.";
            await WriteErrorAsync(http, StatusCodes.Status504GatewayTimeout, mediaType, ErrorCodes.Timeout,
                $"The request took longer than {limits.Value.ExecutionTimeout.TotalSeconds:0.#} s and was stopped; nothing the running operation was writing was kept.{done}");
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "GraphQL request for tenant {Tenant} failed before execution.", session.TenantId);
            await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, mediaType, ErrorCodes.InternalError, "An internal error occurred; it has been logged.");
            return null;
        }
    }

    /// <summary>Authenticates the request and opens the caller's tenant, or answers 401.</summary>
    private async Task<CrmSession?> SessionAsync(HttpContext http, string mediaType)
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
            var store = await tenants.GetAsync(principal.TenantId, http.RequestAborted);
            return new CrmSession(store, principal, await directory.PermissionsAsync(store, principal, http.RequestAborted));
        }
        catch (CrmException e) when (e.Code == ErrorCodes.NotFound)
        {
            logger.LogWarning("Key {Key} names tenant {Tenant}, which does not exist.", principal.KeyId, principal.TenantId);
            await WriteErrorAsync(http, StatusCodes.Status401Unauthorized, mediaType, ErrorCodes.Unauthenticated, "The API key's tenant no longer exists.");
            return null;
        }
    }

    /// <summary>Takes operations from the caller's and the tenant's rate limits, or answers 429; sets the usage headers either way.</summary>
    private async Task<bool> ChargeAsync(HttpContext http, string mediaType, CrmPrincipal principal, int operations)
    {
        var decision = rateLimiter.Acquire(principal.TenantId, principal.KeyId ?? "user:" + principal.UserId, operations);
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

    private List<CrmGraphQLRequest> ReadBatch(JsonElement batch)
    {
        var count = batch.GetArrayLength();
        if (count == 0)
        {
            throw new BadRequestException("The batch is empty: send at least one operation.");
        }

        var max = limits.Value.MaxBatchSize;
        if (count > max)
        {
            throw new BadRequestException($"The batch holds {count} operations; at most {max} may be sent in one request.", ErrorCodes.BatchTooLarge);
        }

        return batch.EnumerateArray().Select(ReadBody).ToList();
    }

    private CrmGraphQLRequest ReadBody(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("The request body must be a JSON object with a 'query' string.");
        }

        if (!body.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(query.GetString()))
        {
            throw new BadRequestException("The request body needs a 'query' string holding the GraphQL document.");
        }

        // Not parsed here: POST allows every operation, and the executor reuses documents it has already validated.
        return new CrmGraphQLRequest(query.GetString()!, OptionalString(body, "operationName"), OptionalObject(body, "variables"), OptionalObject(body, "extensions"));
    }

    private static string? OptionalString(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new BadRequestException($"'{name}' must be a string or null.");

    private Inputs? OptionalObject(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Object ? serializer.ReadNode<Inputs>(value)
        : throw new BadRequestException($"'{name}' must be a JSON object or null.");

    private Inputs? ParseJsonParameter(HttpContext http, string name)
    {
        var text = http.Request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? serializer.ReadNode<Inputs>(document.RootElement)
                : throw new BadRequestException($"'{name}' must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"'{name}' is not valid JSON: {e.Message}");
        }
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public static async Task WriteErrorAsync(HttpContext http, int status, string mediaType, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new { errors = new[] { new { message, extensions = new { code } } } }, CrmEngine.GraphQL.Execution.Writing.ResponseJson.Options, http.RequestAborted);
    }

    private sealed class BadRequestException(string message, string code = ErrorCodes.BadRequest) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
