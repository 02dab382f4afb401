namespace CrmEngine.Host.Security;

/// <summary>The scheme requests authenticate with: it forwards to API keys or JWTs by the token's shape.</summary>
public static class CrmAuthentication
{
    public const string SchemeName = "Crm";

    public static string SelectScheme(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is var header
        && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && !header["Bearer ".Length..].TrimStart().StartsWith("crm_", StringComparison.Ordinal)
            ? JwtAuthenticationHandler.SchemeName
            : ApiKeyAuthenticationHandler.SchemeName;
}
