using System.Security.Claims;
using System.Text.Encodings.Web;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer crm_...</c> API keys against the catalog. The tenant,
/// user and roles come from the key's catalog row, never from anything else in the request.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TenantCatalog catalog) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var principal = await catalog.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (principal is null)
        {
            return AuthenticateResult.Fail("The API key is not valid: it is unknown, revoked or expired.");
        }

        var identity = new ClaimsIdentity(CrmClaims.From(principal), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>How a <see cref="CrmPrincipal"/> travels as claims through ASP.NET Core authentication.</summary>
public static class CrmClaims
{
    public const string Tenant = "crm:tenant";
    public const string User = "crm:user";
    public const string Key = "crm:key";

    public static IEnumerable<Claim> From(CrmPrincipal principal)
    {
        yield return new Claim(Tenant, principal.TenantId);
        yield return new Claim(User, principal.UserId.ToString());
        if (principal.KeyId is not null)
        {
            yield return new Claim(Key, principal.KeyId);
        }

        foreach (var role in principal.Roles)
        {
            yield return new Claim(ClaimTypes.Role, role);
        }
    }

    public static CrmPrincipal? ToPrincipal(ClaimsPrincipal user) =>
        user.FindFirst(Tenant)?.Value is { } tenant && Guid.TryParse(user.FindFirst(User)?.Value, out var userId)
            ? new CrmPrincipal(tenant, userId, user.FindFirst(Key)?.Value, user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList())
            : null;
}
