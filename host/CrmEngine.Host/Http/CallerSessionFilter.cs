using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Security;
using Microsoft.AspNetCore.Authentication;

namespace CrmEngine.Host.Http;

/// <summary>
/// Who is calling, in order: authenticates the request (API key or JWT; 401), takes one operation
/// from the caller's and the tenant's rate limits (429, partitioned by credential, so it runs after
/// authentication), and opens the caller's tenant session (401 when the key's user is deactivated or
/// its tenant is gone). The handler gets the session from <see cref="GraphQLRequestFeature"/>.
/// </summary>
public sealed class CallerSessionFilter(TenantRegistry tenants, IdentityDirectory directory, RequestRateLimiter rateLimiter, ILogger<CallerSessionFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = GraphQLRequestFeature.Of(http);
        if (await OpenSessionAsync(http, request.MediaType, request.Deadline.Token) is not { } session)
        {
            return null;
        }

        request.Session = session;
        return await next(context);
    }

    /// <summary>The caller's tenant session, or null once the refusal (401, 429) has been written as <paramref name="mediaType"/>. Plugins' public endpoints open keyed requests' sessions with it too.</summary>
    public async Task<CrmSession?> OpenSessionAsync(HttpContext http, string mediaType, CancellationToken cancellationToken)
    {
        var result = await http.AuthenticateAsync(CrmAuthentication.SchemeName);
        if (!result.Succeeded || CrmClaims.ToPrincipal(result.Principal) is not { } principal)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            var message = result.Failure?.Message ?? "An API key is required: send 'Authorization: Bearer <api key>'.";
            await GraphQLHttpHandler.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, mediaType, ErrorCodes.Unauthenticated, message);
            return null;
        }

        if (!await rateLimiter.ChargeAsync(http, mediaType, principal, 1))
        {
            return null;
        }

        var (session, refusal) = await OpenSessionAsync(principal, cancellationToken);
        if (session is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await GraphQLHttpHandler.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, mediaType, ErrorCodes.Unauthenticated, refusal!);
        }

        return session;
    }

    /// <summary>The authenticated principal's tenant session, or why there is none (a deactivated user, a tenant gone): for HTTP requests and WebSocket connections alike.</summary>
    public async Task<(CrmSession? Session, string? Refusal)> OpenSessionAsync(CrmPrincipal principal, CancellationToken cancellationToken)
    {
        try
        {
            var store = await tenants.GetAsync(principal.TenantId, cancellationToken);
            // A key acts as its user: once the user is deactivated, their keys stop working too.
            if ((await directory.GetAsync(store, cancellationToken)).Users.GetValueOrDefault(principal.UserId) is { Active: false })
            {
                return (null, "The API key's user is deactivated.");
            }

            return (new CrmSession(store, principal, await directory.PermissionsAsync(store, principal, cancellationToken)), null);
        }
        catch (CrmException e) when (e.Code == ErrorCodes.NotFound)
        {
            logger.LogWarning("Key {Key} names tenant {Tenant}, which does not exist.", principal.KeyId, principal.TenantId);
            return (null, "The API key's tenant no longer exists.");
        }
    }
}
