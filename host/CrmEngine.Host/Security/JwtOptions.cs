namespace CrmEngine.Host.Security;

/// <summary>
/// How bearer tokens from an external identity provider are checked (section Crm:Jwt). A tenant may
/// have its own issuer, audience and keys under Crm:Jwt:Tenants:&lt;tenant&gt;; otherwise the global
/// ones apply. Tokens name their tenant in <see cref="TenantClaim"/>.
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Crm:Jwt";

    public JwtSettings Default { get; set; } = new();

    public Dictionary<string, JwtSettings> Tenants { get; set; } = new(StringComparer.Ordinal);

    public string TenantClaim { get; set; } = "crm_tenant";

    public string RolesClaim { get; set; } = "roles";

    public JwtSettings? For(string tenant) => Tenants.GetValueOrDefault(tenant) ?? (Default.IsConfigured ? Default : null);
}

public sealed class JwtSettings
{
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>PEM public keys (RSA or EC), or symmetric keys written "base64:&lt;key&gt;".</summary>
    public List<string> SigningKeys { get; set; } = [];

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => Issuer is not null && Audience is not null && SigningKeys.Count > 0;
}
