using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// An OpenID Connect identity provider on a loopback port, as far as a resource server sees one:
/// per realm (a path), a discovery document and the JSON Web Key Set it points to. Tests choose
/// which keys a realm publishes, sign tokens with them, and count how often the key set is fetched.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, IReadOnlyList<SigningKey>> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _fetches = new(StringComparer.Ordinal);

    private FakeIdentityProvider(WebApplication app) => _app = app;

    public string Address { get; private set; } = string.Empty;

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var provider = new FakeIdentityProvider(builder.Build());
        provider._app.MapGet("/{realm}/.well-known/openid-configuration", (string realm) =>
            Results.Json(new { issuer = provider.Issuer(realm), jwks_uri = provider.KeySetAddress(realm) }));
        provider._app.MapGet("/{realm}/jwks", (string realm) =>
        {
            provider._fetches.AddOrUpdate(realm, 1, (_, n) => n + 1);
            return Results.Json(new { keys = provider._published.GetValueOrDefault(realm, []).Select(k => k.Public()) });
        });
        await provider._app.StartAsync();
        provider.Address = provider._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return provider;
    }

    /// <summary>The realm's OpenID Connect authority: discovery is under it.</summary>
    public string Issuer(string realm) => $"{Address}/{realm}";

    public string KeySetAddress(string realm) => $"{Address}/{realm}/jwks";

    /// <summary>From now on the realm's key set holds exactly these keys.</summary>
    public void Publish(string realm, params SigningKey[] keys) => _published[realm] = keys;

    /// <summary>How many times the realm's key set has been fetched.</summary>
    public int Fetches(string realm) => _fetches.GetValueOrDefault(realm);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>An RSA key with an id, as a provider rotates them.</summary>
    public sealed class SigningKey(string id) : IDisposable
    {
        private readonly RSA _rsa = RSA.Create(2048);

        public string Id { get; } = id;

        /// <summary>A token for <paramref name="subject"/> in <paramref name="tenant"/>, signed with this key and naming it.</summary>
        public string Token(string issuer, string audience, string tenant, string subject) =>
            new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("crm_tenant", tenant)]),
                Expires = DateTime.UtcNow.AddMinutes(10),
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = Id }, SecurityAlgorithms.RsaSha256),
            });

        public object Public()
        {
            var parameters = _rsa.ExportParameters(false);
            return new { kty = "RSA", use = "sig", alg = "RS256", kid = Id, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
        }

        public void Dispose() => _rsa.Dispose();
    }
}

/// <summary>A clock tests move by hand: the host reads time from it where it takes a TimeProvider.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
