using System.Security.Claims;
using System.Text.Encodings.Web;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmEngine.Host.Security;

/// <summary>
/// Authenticates JWT bearer tokens from an external identity provider. The token names its tenant;
/// it must then pass that tenant's (or the global) issuer, audience, signature and lifetime checks,
/// and its subject must be an active user of that tenant. Roles come from the token and from the
/// user's roles in the tenant.
/// </summary>
public sealed class JwtAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<JwtOptions> jwt,
    TenantRegistry tenants,
    TenantCatalog catalog,
    IdentityDirectory directory,
    JwtKeyRings keyRings) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Jwt";
    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        var settings = jwt.CurrentValue;
        JsonWebToken read;
        string? tenant;
        try
        {
            read = Tokens.ReadJsonWebToken(token);
            tenant = read.Claims.FirstOrDefault(c => c.Type == settings.TenantClaim)?.Value;
        }
        catch (ArgumentException)
        {
            return AuthenticateResult.Fail("The bearer token is neither an API key nor a well-formed JWT.");
        }

        if (tenant is null || await catalog.FindTenantAsync(tenant, Context.RequestAborted) is null)
        {
            return AuthenticateResult.Fail($"The token must name an existing tenant in its '{settings.TenantClaim}' claim.");
        }

        if (settings.For(tenant) is not { IsConfigured: true } tenantSettings)
        {
            return AuthenticateResult.Fail($"Tenant '{tenant}' does not accept JWTs: no issuer, audience and keys are configured for it.");
        }

        var (keys, issuer) = await keyRings.For(tenantSettings).GetAsync(string.IsNullOrEmpty(read.Kid) ? null : read.Kid, Context.RequestAborted);
        if (keys.Count == 0)
        {
            return AuthenticateResult.Fail($"Tenant '{tenant}' trusts an identity provider whose signing keys could not be fetched; try again later.");
        }

        var result = await Tokens.ValidateTokenAsync(read, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = tenantSettings.Audience,
            IssuerSigningKeys = keys,
            ClockSkew = tenantSettings.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail("The token is not valid: " + Describe(result.Exception));
        }

        var subject = result.ClaimsIdentity.FindFirst("sub")?.Value;
        var store = await tenants.GetAsync(tenant, Context.RequestAborted);
        var user = (await directory.GetAsync(store, Context.RequestAborted)).Users.Values.FirstOrDefault(u => u.ExternalId == subject);
        if (subject is null || user is null || !user.Active)
        {
            return AuthenticateResult.Fail($"The token's subject is not an active user of tenant '{tenant}'.");
        }

        var roles = result.ClaimsIdentity.FindAll(settings.RolesClaim).Select(c => c.Value).ToList();
        var principal = new CrmPrincipal(tenant, user.Id, null, roles);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(CrmClaims.From(principal), SchemeName)), SchemeName));
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "it has expired.",
        SecurityTokenInvalidIssuerException => "its issuer is not the one this tenant trusts.",
        SecurityTokenInvalidAudienceException => "it is meant for another audience.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not match a trusted key.",
        SecurityTokenNotYetValidException => "it is not valid yet.",
        null => "unknown reason.",
        _ => exception.GetType().Name.Replace("SecurityToken", string.Empty, StringComparison.Ordinal) + ".",
    };
}
