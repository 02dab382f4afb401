using System.Net;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using SigningKey = CrmEngine.Host.Tests.Support.FakeIdentityProvider.SigningKey;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>
/// A host whose tenants trust an OpenID Connect provider served over real HTTP, each tenant its own
/// realm (so tests don't share key sets), with a clock the tests move.
/// </summary>
public sealed class IdentityProviderFixture : IAsyncLifetime
{
    public const string Audience = "crm-api";
    public static readonly string[] Realms = ["discovered", "rotating", "retiring", "flooded", "direct"];

    public FakeIdentityProvider Provider { get; private set; } = null!;

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public CrmHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await FakeIdentityProvider.StartAsync();
        var settings = new Dictionary<string, string?>();
        foreach (var realm in Realms)
        {
            var prefix = $"Crm:Jwt:Tenants:{realm}:";
            settings[prefix + "Audience"] = Audience;
            settings[prefix + "RequireHttpsMetadata"] = "false";
            if (realm == "direct")
            {
                settings[prefix + "Issuer"] = "https://direct.example/";
                settings[prefix + "JwksUri"] = Provider.KeySetAddress(realm);
            }
            else
            {
                settings[prefix + "Authority"] = Provider.Issuer(realm);
            }
        }

        Host = new CrmHost(settings: settings) { ConfigureTestServices = s => s.AddSingleton<TimeProvider>(Clock) };
        foreach (var realm in Realms)
        {
            using var admin = await Host.NewTenantAsync(realm);
            await admin.MutateAsync("mutation { createUser(email: \"li@example.cn\", displayName: \"李雷\", externalId: \"idp|li\", roles: [\"reader\"]) { user { id } userErrors { code } } }");
        }
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// Keys from an identity provider: found through discovery (or a configured key set), fetched once
/// and kept, fetched again when a token names a key not seen yet (rotation) and on a schedule
/// (retirement), never at a made-up key id's bidding.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class IdentityProviderKeyTests(IdentityProviderFixture fixture) : IClassFixture<IdentityProviderFixture>, IDisposable
{
    private readonly SigningKey _first = new("key-2026-01");
    private readonly SigningKey _second = new("key-2026-07");
    private readonly SigningKey _stranger = new("key-2026-01");

    private FakeIdentityProvider Provider => fixture.Provider;

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        _stranger.Dispose();
    }

    private async Task<GraphQLResponse> CallAsync(string realm, SigningKey key, string? issuer = null)
    {
        using var client = fixture.Host.Client(realm, key.Token(issuer ?? Provider.Issuer(realm), IdentityProviderFixture.Audience, realm, "idp|li"));
        return await client.PostAsync("{ me { tenant roles } }");
    }

    private static void AssertAccepted(GraphQLResponse response, string realm)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"{response.Status}: {response.Errors?.ToJsonString()}");
        Assert.Equal(realm, response.Data!["me"]!["tenant"]!.GetValue<string>());
    }

    private static void AssertRefusedForItsKey(GraphQLResponse response)
    {
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (response.Status, response.FirstErrorCode));
        Assert.Contains("signature does not match a trusted key", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_discovered_key_set_publishes_acts_as_its_user_and_the_keys_are_fetched_once()
    {
        Provider.Publish("discovered", _first);

        AssertAccepted(await CallAsync("discovered", _first), "discovered");
        AssertAccepted(await CallAsync("discovered", _first), "discovered");
        AssertRefusedForItsKey(await CallAsync("discovered", _stranger));
        Assert.Equal(1, Provider.Fetches("discovered"));

        var otherIssuer = await CallAsync("discovered", _first, issuer: "https://evil.example/");
        Assert.Equal(HttpStatusCode.Unauthorized, otherIssuer.Status);
        Assert.Contains("issuer", otherIssuer.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_rotated_in_works_at_once_and_the_old_one_keeps_working_while_it_is_published()
    {
        Provider.Publish("rotating", _first);
        AssertAccepted(await CallAsync("rotating", _first), "rotating");

        Provider.Publish("rotating", _first, _second);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        AssertAccepted(await CallAsync("rotating", _second), "rotating");
        AssertAccepted(await CallAsync("rotating", _first), "rotating");
        Assert.Equal(2, Provider.Fetches("rotating"));
    }

    [Fact]
    public async Task A_retired_key_stops_working_when_the_keys_are_fetched_again_on_schedule()
    {
        Provider.Publish("retiring", _first, _second);
        AssertAccepted(await CallAsync("retiring", _first), "retiring");

        Provider.Publish("retiring", _second);
        AssertAccepted(await CallAsync("retiring", _first), "retiring");
        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        AssertRefusedForItsKey(await CallAsync("retiring", _first));
        AssertAccepted(await CallAsync("retiring", _second), "retiring");
        Assert.Equal(2, Provider.Fetches("retiring"));
    }

    [Fact]
    public async Task Tokens_naming_made_up_keys_fetch_the_key_set_at_most_once_per_minimum_interval()
    {
        Provider.Publish("flooded", _first);
        AssertAccepted(await CallAsync("flooded", _first), "flooded");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        for (var i = 0; i < 5; i++)
        {
            using var madeUp = new SigningKey("made-up-" + i);
            AssertRefusedForItsKey(await CallAsync("flooded", madeUp));
        }

        Assert.Equal(2, Provider.Fetches("flooded"));
        AssertAccepted(await CallAsync("flooded", _first), "flooded");
    }

    [Fact]
    public async Task A_key_set_address_can_be_configured_without_discovery()
    {
        Provider.Publish("direct", _first);
        AssertAccepted(await CallAsync("direct", _first, issuer: "https://direct.example/"), "direct");
        AssertRefusedForItsKey(await CallAsync("direct", _second, issuer: "https://direct.example/"));
    }
}
