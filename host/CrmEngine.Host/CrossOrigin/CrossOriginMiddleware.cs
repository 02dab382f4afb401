using System.Globalization;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Http;
using CrmEngine.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CrmEngine.Host.CrossOrigin;

/// <summary>
/// CORS for browser pages on other origins. A preflight carries no key, so it is answered for any
/// origin the host or some tenant allows; the request itself, once its key names the tenant, runs
/// only if the host or that tenant allows the origin, and is refused with 403 before anything runs
/// otherwise. Credentials are never allowed (no Access-Control-Allow-Credentials): the API takes
/// its key in the Authorization header, which a page's script sets itself, and uses no cookies, so
/// nothing a browser would add on its own can make a request count as the user's. Each allowed
/// origin is named exactly, never "*", and answers vary by Origin.
/// </summary>
public sealed class CrossOriginMiddleware(RequestDelegate next, AllowedOrigins allowed, IOptions<CrossOriginOptions> options)
{
    private const string AllowedMethods = "GET, POST";
    private const string AllowedHeaders = "Authorization, Content-Type, Accept, Accept-Language";

    /// <summary>What a page may read besides the simple headers: the rate-limit usage and when to retry.</summary>
    private const string ExposedHeaders = "RateLimit-Limit, RateLimit-Remaining, Retry-After";

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.Headers.Origin is not [{ } sent] || IsSameOrigin(request, sent) || BrowserOrigin.Normalize(sent) is not { } origin)
        {
            await next(http);
            return;
        }

        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        var forEveryTenant = allowed.ForEveryTenant(origin);
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
        {
            if (forEveryTenant || await allowed.ForSomeTenantAsync(origin, http.RequestAborted))
            {
                http.Response.Headers.AccessControlAllowOrigin = sent;
                http.Response.Headers.AccessControlAllowMethods = AllowedMethods;
                http.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
                http.Response.Headers.AccessControlMaxAge = ((int)options.Value.MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            // Without the headers above, the browser stops there and never sends the request.
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (!forEveryTenant)
        {
            if (!await allowed.ForSomeTenantAsync(origin, http.RequestAborted))
            {
                // No CORS headers: the browser keeps the answer from the page.
                await next(http);
                return;
            }

            var result = await http.AuthenticateAsync(CrmAuthentication.SchemeName);
            if (result.Succeeded && CrmClaims.ToPrincipal(result.Principal) is { } principal && !await allowed.ForTenantAsync(principal.TenantId, origin, http.RequestAborted))
            {
                await GraphQLHttpHandler.WriteErrorAsync(http, StatusCodes.Status403Forbidden, GraphQLHttpHandler.Json, ErrorCodes.OriginNotAllowed,
                    $"Pages on {origin} may not call this API with this tenant's keys; a tenant admin can allow it with setAllowedOrigins.");
                return;
            }
        }

        http.Response.Headers.AccessControlAllowOrigin = sent;
        http.Response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        await next(http);
    }

    /// <summary>The page is on this host (GraphiQL): browsers send Origin with its POSTs too. Compared by host and port, so it holds behind a proxy that ends TLS.</summary>
    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
