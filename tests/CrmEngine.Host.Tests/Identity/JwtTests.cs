using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>Bearer tokens from an external identity provider: the tenant is the token's, and every check must pass.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class JwtTests(JwtTests.Fixture fixture) : IClassFixture<JwtTests.Fixture>, IAsyncLifetime, IDisposable
{
    private const string Issuer = "https://id.example.cn/";
    private const string Audience = "crm-api";
    private readonly RSA _key = fixture.Key;
    private readonly RSA _otherKey = fixture.OtherKey;
    private readonly CrmHost _host = fixture.Host;
    private TenantClient _admin = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _admin = await _host.NewTenantAsync();
        var created = await _admin.MutateAsync("mutation { createUser(email: \"wang@example.cn\", displayName: \"王芳\", externalId: \"idp|wang\", roles: [\"reader\"]) { user { id } userErrors { code } } }");
        _userId = created["user"]!["id"]!.GetValue<string>();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _admin.Dispose();

    /// <summary>One host trusting <see cref="Key"/> for the class; each test makes its own tenant on it.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture() => Host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["Crm:Jwt:Default:Issuer"] = Issuer,
            ["Crm:Jwt:Default:Audience"] = Audience,
            ["Crm:Jwt:Default:SigningKeys:0"] = Key.ExportSubjectPublicKeyInfoPem(),
            ["Crm:Jwt:Tenants:strict:Issuer"] = "https://strict.example.cn/",
            ["Crm:Jwt:Tenants:strict:Audience"] = Audience,
            ["Crm:Jwt:Tenants:strict:SigningKeys:0"] = Key.ExportSubjectPublicKeyInfoPem(),
        });

        public RSA Key { get; } = RSA.Create(2048);

        public RSA OtherKey { get; } = RSA.Create(2048);

        public CrmHost Host { get; }

        public void Dispose()
        {
            Host.Dispose();
            Key.Dispose();
            OtherKey.Dispose();
        }
    }

    private string Token(string? tenant = null, string subject = "idp|wang", string issuer = Issuer, string audience = Audience, RSA? key = null, DateTime? expires = null, string[]? roles = null)
    {
        var claims = new List<Claim> { new("sub", subject) };
        if (tenant is not null || _admin is not null)
        {
            claims.Add(new Claim("crm_tenant", tenant ?? _admin!.TenantId));
        }

        claims.AddRange((roles ?? []).Select(r => new Claim("roles", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _key), SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<GraphQLResponse> AsTokenAsync(string token)
    {
        using var client = _host.Client(_admin.TenantId, token);
        return await client.PostAsync("{ me { userId tenant roles isAdmin } }");
    }

    [Fact]
    public async Task A_valid_token_acts_as_the_tenant_user_its_subject_maps_to()
    {
        var response = await AsTokenAsync(Token(roles: ["user"]));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var me = response.Data!["me"]!;
        Assert.Equal((_userId, _admin.TenantId), (me["userId"]!.GetValue<string>(), me["tenant"]!.GetValue<string>()));
        Assert.Equal(["user", "reader"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(me["isAdmin"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("issuer", "issuer")]
    [InlineData("audience", "audience")]
    [InlineData("signature", "signature")]
    [InlineData("expired", "expired")]
    [InlineData("subject", "not an active user")]
    [InlineData("tenant", "existing tenant")]
    public async Task A_token_that_fails_a_check_is_401_saying_which(string broken, string message)
    {
        var token = broken switch
        {
            "issuer" => Token(issuer: "https://evil.example/"),
            "audience" => Token(audience: "someone-else"),
            "signature" => Token(key: _otherKey),
            "expired" => Token(expires: DateTime.UtcNow.AddMinutes(-5)),
            "subject" => Token(subject: "idp|stranger"),
            _ => Token(tenant: "no-such-tenant"),
        };

        var response = await AsTokenAsync(token);
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (response.Status, response.FirstErrorCode));
        Assert.Contains(message, response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inactive_user_is_refused()
    {
        await _admin.MutateAsync("mutation($id: ID!) { updateUser(id: $id, active: false) { userErrors { code } } }", new { id = _userId });
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsTokenAsync(Token())).Status);
    }

    [Fact]
    public async Task A_tenant_with_its_own_issuer_refuses_tokens_of_the_global_one()
    {
        await _host.Service<CrmEngine.Engine.Tenancy.TenantProvisioner>().CreateAsync("strict", "Strict", CancellationToken.None);
        var response = await AsTokenAsync(Token(tenant: "strict"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("issuer", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_that_is_not_a_jwt_is_401()
    {
        var response = await AsTokenAsync("not.a.jwt.at.all");
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }
}
