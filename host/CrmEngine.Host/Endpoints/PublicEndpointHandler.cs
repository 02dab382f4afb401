using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Http;
using CrmEngine.PluginHost.Endpoints;
using CrmEngine.Sdk.Endpoints;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Endpoints;

/// <summary>
/// Plugins' public endpoints, /p/&lt;plugin&gt;/&lt;route&gt; (GET and POST), in order: the client address's
/// rate limit (429), the route (404 for an unknown plugin or route, 405 for the other method), the
/// deadline (504), the caller (a route for keys: the tenant's key as GraphQL takes it, 401; a route
/// for signed links: the link in the <c>token</c> parameter, 401 without one, 403 LINK_INVALID when
/// altered or for another plugin or purpose, 410 LINK_EXPIRED), the plugin enabled on the tenant
/// (404 otherwise, as for an unknown route), the body (413 PAYLOAD_TOO_LARGE over the limit), and then
/// the handler (<see cref="PublicEndpointRunner"/>). Refusals are typed JSON errors, or a small HTML
/// page for a browser's GET (a person who opened an expired link). Every answer is no-store.
/// </summary>
public sealed class PublicEndpointHandler(
    PublicEndpointCatalog catalog,
    PublicEndpointRunner runner,
    LinkTokens links,
    CallerSessionFilter callers,
    RequestRateLimiter rateLimiter,
    TenantRegistry tenants,
    TimeProvider time,
    IOptions<EndpointLimits> options,
    ILogger<PublicEndpointHandler> logger)
{
    public const string Pattern = "/p/{plugin}/{**path}";
    public const string TokenParameter = "token";
    private const string NotFoundMessage = "There is no such address.";

    public async Task HandleAsync(HttpContext http, string plugin)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!await rateLimiter.ChargeAddressAsync(http))
        {
            return;
        }

        var method = HttpMethods.IsPost(http.Request.Method) ? EndpointMethod.Post : EndpointMethod.Get;
        var match = catalog.Find(plugin, RoutePath(http), method);
        if (match.Route is not { } route)
        {
            if (match.OtherMethod)
            {
                http.Response.Headers.Allow = method == EndpointMethod.Get ? "POST" : "GET";
                await EndpointErrors.WriteAsync(http, StatusCodes.Status405MethodNotAllowed, ErrorCodes.BadRequest, $"This address takes {http.Response.Headers.Allow} requests.");
                return;
            }

            await EndpointErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, NotFoundMessage);
            return;
        }

        var limits = options.Value.Public;
        using var timeout = new CancellationTokenSource(limits.Timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, timeout.Token);
        try
        {
            await HandleAsync(http, route, match.Values!, method, deadline.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("A request to {Plugin}'s endpoint {Route} ran past {Timeout} and was stopped.", route.PluginId, route.Template, limits.Timeout);
            if (http.Response.HasStarted)
            {
                http.Abort();
                return;
            }

            http.Response.Clear();
            http.Response.Headers.CacheControl = "no-store";
            await EndpointErrors.WriteAsync(http, StatusCodes.Status504GatewayTimeout, ErrorCodes.Timeout,
                $"The request took longer than {limits.Timeout.TotalSeconds:0.#} s and was stopped; nothing it was writing was kept.");
        }
    }

    private async Task HandleAsync(HttpContext http, PublicEndpointCatalog.Route route, IReadOnlyDictionary<string, string> values, EndpointMethod method, CancellationToken cancellationToken)
    {
        var (session, link) = route.Endpoint.Access.Purpose is { } purpose
            ? await LinkSessionAsync(http, route, purpose, cancellationToken)
            : (await callers.OpenSessionAsync(http, GraphQLHttpHandler.Json, cancellationToken), null);
        if (session is null)
        {
            return;
        }

        if (!session.Metadata.IsPluginEnabled(route.PluginId))
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, NotFoundMessage);
            return;
        }

        var body = method == EndpointMethod.Post ? await EndpointBody.ReadAsync(http, options.Value.Public.MaxBodyBytes, cancellationToken) : EndpointBody.None;
        if (body is null)
        {
            return;
        }

        var request = new EndpointRequest(method, values, EndpointBody.Query(http.Request.Query, TokenParameter), EndpointBody.Headers(http.Request.Headers),
            http.Request.ContentType, body.Bytes, body.Form, link);
        var outcome = await runner.RunAsync(session, route, request, cancellationToken);
        if (outcome.Response is not { } response)
        {
            if (outcome.Status == StatusCodes.Status503ServiceUnavailable)
            {
                // Unavailable while the plugin's upgrade on the tenant finishes: worth trying again soon.
                http.Response.Headers.RetryAfter = "5";
            }

            await EndpointErrors.WriteAsync(http, outcome.Status, outcome.Code!, outcome.Message!);
            return;
        }

        http.Response.StatusCode = response.Status;
        if (response.Location is not null)
        {
            http.Response.Headers.Location = response.Location;
        }

        if (response.ContentType is not null)
        {
            http.Response.ContentType = response.ContentType;
        }

        // Kestrel refuses any write, even of nothing, to a response that can't have a body (204, 304);
        // the refusal comes after the headers went out, so the client saw the connection cut.
        if (!response.Body.IsEmpty)
        {
            await http.Response.Body.WriteAsync(response.Body, cancellationToken);
        }
    }

    /// <summary>
    /// The path after /p/&lt;plugin&gt;/ as the client sent it, still percent-encoded, so that each segment
    /// is unescaped exactly once (by the catalog): the server has decoded Request.Path already, all but
    /// %2F, and decoding that again would read a sent %2520 as a space.
    /// </summary>
    private static string? RoutePath(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var path = string.IsNullOrEmpty(raw) ? http.Request.Path.ToUriComponent() : raw.Split('?', 2)[0];
        if (!path.StartsWith('/') && Uri.TryCreate(path, UriKind.Absolute, out var absolute))
        {
            path = absolute.AbsolutePath;
        }

        // "", "p", the plugin, then the route's path.
        var parts = path.Split('/', 4);
        return parts.Length == 4 ? parts[3] : null;
    }

    /// <summary>The public identity's session on the link's tenant, with the link; (null, null) once the refusal is written.</summary>
    private async Task<(CrmSession?, VerifiedLink?)> LinkSessionAsync(HttpContext http, PublicEndpointCatalog.Route route, string purpose, CancellationToken cancellationToken)
    {
        var token = http.Request.Query[TokenParameter].ToString();
        if (token.Length == 0)
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "This address opens only with a signed link (its token parameter).");
            return (null, null);
        }

        // Altered, made up, or genuine but made for another plugin or purpose: one answer for all.
        if (links.Verify(token) is not { } link || link.Grant.Plugin != route.PluginId || link.Grant.Purpose != purpose)
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.LinkInvalid, "This link is not valid here: it was altered, or it was made for another address.");
            return (null, null);
        }

        if (link.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status410Gone, ErrorCodes.LinkExpired, "This link has expired; ask for a new one.");
            return (null, null);
        }

        try
        {
            var store = await tenants.GetAsync(link.Grant.TenantId, cancellationToken);
            return (new CrmSession(store, CrmPrincipal.Public(store.TenantId)), link);
        }
        catch (CrmException e) when (e.Code == ErrorCodes.NotFound)
        {
            // A link of a tenant that has since been deleted.
            await EndpointErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, NotFoundMessage);
            return (null, null);
        }
    }
}
