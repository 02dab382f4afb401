using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CrmEngine.Host.Security;

/// <summary>
/// The keys that tokens checked with one <see cref="JwtSettings"/> may be signed with: the configured
/// keys, parsed once and disposed with the ring, and the identity provider's published keys when an
/// authority or key set address is configured. Several keys are valid at once; a token's key id (kid)
/// picks among them, and a token without one is tried against all.
/// </summary>
internal sealed class JwtKeyRing : IDisposable
{
    private readonly JwtSettings _settings;
    private readonly List<SecurityKey> _configured;
    private readonly List<IDisposable> _owned = [];
    private readonly ProviderKeys? _provider;

    public JwtKeyRing(JwtSettings settings, HttpClient http, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _configured = settings.SigningKeys.Select(Read).ToList();
        _provider = settings.HasRemoteKeys ? new ProviderKeys(settings, http, time, logger) : null;
    }

    /// <summary>The keys and issuer to check a token with; the keys are empty while the provider's could not be fetched.</summary>
    public async ValueTask<(IReadOnlyList<SecurityKey> Keys, string? Issuer)> GetAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (_provider is null)
        {
            return (_configured, _settings.Issuer);
        }

        var fetched = await _provider.GetAsync(keyId, cancellationToken);
        var keys = fetched is null ? _configured : [.. _configured, .. fetched.Keys];
        return (keys, _settings.Issuer ?? fetched?.Issuer ?? _settings.Authority);
    }

    public void Dispose()
    {
        _provider?.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private SecurityKey Read(string text)
    {
        if (text.StartsWith("base64:", StringComparison.Ordinal))
        {
            return new SymmetricSecurityKey(Convert.FromBase64String(text["base64:".Length..]));
        }

        if (TryEc(text) is { } ec)
        {
            _owned.Add(ec);
            return new ECDsaSecurityKey(ec);
        }

        var rsa = RSA.Create();
        _owned.Add(rsa);
        rsa.ImportFromPem(text);
        return new RsaSecurityKey(rsa);
    }

    private static ECDsa? TryEc(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ec.Dispose();
            return null;
        }
    }
}
