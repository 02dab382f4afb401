namespace CrmEngine.Host.CrossOrigin;

/// <summary>
/// Browser pages on other origins that may call the API (section Crm:Cors). Origins listed here are
/// allowed for every tenant; a tenant admin allows more for the tenant's own keys with the
/// <c>setAllowedOrigins</c> mutation.
/// </summary>
public sealed class CrossOriginOptions
{
    public const string Section = "Crm:Cors";

    /// <summary>Origins such as https://app.example.com or http://localhost:3000 (scheme, host, optional port; no wildcard).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long browsers may keep a preflight's answer (Access-Control-Max-Age; Chromium keeps it at most 2 hours).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);
}
