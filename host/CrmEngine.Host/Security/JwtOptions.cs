namespace CrmEngine.Host.Security;

/// <summary>
/// How bearer tokens from an external identity provider are checked (section Crm:Jwt). A tenant may
/// have its own issuer, audience and keys under Crm:Jwt:Tenants:&lt;tenant&gt;; otherwise the global
/// ones apply. Tokens name their tenant in <see cref="TenantClaim"/>. Keys are configured (PEM or
/// symmetric), fetched from the provider (OpenID Connect discovery or a JWKS address), or both.
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
    /// <summary>The issuer tokens must name; with <see cref="Authority"/> and no issuer, the one its discovery document names.</summary>
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>PEM public keys (RSA or EC), or symmetric keys written "base64:&lt;key&gt;".</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>
    /// An OpenID Connect provider: its keys come from the jwks_uri of
    /// <c>&lt;authority&gt;/.well-known/openid-configuration</c>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>A JSON Web Key Set to take the keys from directly, without discovery.</summary>
    public string? JwksUri { get; set; }

    /// <summary>Discovery and key sets must be fetched over HTTPS (turn off only for a provider on this machine, as in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long fetched keys are used before they are fetched again (so retired keys stop working).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The least time between two fetches: a token naming a key not seen yet (kid) fetches the keys
    /// again at once, but a flood of made-up kids fetches at most once per this interval.
    /// </summary>
    public TimeSpan KeyRefreshMinimumInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether keys are fetched from the identity provider (discovery or a key set address).</summary>
    public bool HasRemoteKeys => Authority is not null || JwksUri is not null;

    public bool IsConfigured => (Issuer is not null || Authority is not null) && Audience is not null && (SigningKeys.Count > 0 || HasRemoteKeys);
}
