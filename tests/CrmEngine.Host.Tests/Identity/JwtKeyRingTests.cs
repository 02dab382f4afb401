using System.Security.Cryptography;
using CrmEngine.Host.Security;
using CrmEngine.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>Configured signing keys are parsed once per configuration, not per request, and disposed with it.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class JwtKeyRingTests
{
    [Fact]
    public async Task Configured_keys_are_parsed_once_and_disposed_with_their_ring()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var settings = new JwtSettings
        {
            Issuer = "https://id.example.cn/",
            Audience = "crm-api",
            SigningKeys = [rsa.ExportSubjectPublicKeyInfoPem(), ec.ExportSubjectPublicKeyInfoPem(), "base64:" + Convert.ToBase64String(new byte[32])],
        };
        using var http = new HttpClient();
        var ring = new JwtKeyRing(settings, http, TimeProvider.System, NullLogger.Instance);

        var (first, issuer) = await ring.GetAsync(null, CancellationToken.None);
        var (second, _) = await ring.GetAsync("any", CancellationToken.None);
        Assert.Equal("https://id.example.cn/", issuer);
        Assert.Equal(3, first.Count);
        Assert.Same(first, second);

        ring.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ((RsaSecurityKey)first[0]).Rsa.ExportParameters(false));
        Assert.Throws<ObjectDisposedException>(() => ((ECDsaSecurityKey)first[1]).ECDsa.ExportParameters(false));
    }
}
