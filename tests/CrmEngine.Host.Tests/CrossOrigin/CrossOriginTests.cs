using System.Net;
using System.Net.Http.Json;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.CrossOrigin;

/// <summary>
/// CORS over plain HTTP: origins the host allows for every tenant (Crm:Cors) and origins a tenant
/// admin allows for the tenant's keys (kept in the tenant's store), preflights, the request itself.
/// </summary>
public sealed class CrossOriginTests(CrossOriginTests.Fixture fixture) : IClassFixture<CrossOriginTests.Fixture>
{
    private const string Everyone = "https://everyone.example";
    private const string SetOrigins = "mutation($o: [String!]!) { setAllowedOrigins(origins: $o) { allowedOrigins userErrors { field code message } } }";
    private readonly CrmHost _host = fixture.Host;
    private readonly TestStore _store = fixture.Host.Store;

    /// <summary>A host that allows <see cref="Everyone"/> for every tenant.</summary>
    public sealed class Fixture() : SharedHostFixture(new Dictionary<string, string?> { ["Crm:Cors:AllowedOrigins:0"] = Everyone, ["Crm:Cors:MaxAge"] = "00:05:00" });

    [Fact]
    public async Task A_preflight_from_an_origin_the_host_allows_names_it_with_the_methods_headers_and_how_long_to_keep_the_answer()
    {
        using var response = await PreflightAsync(_host, Everyone);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Everyone, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, POST", Header(response, "Access-Control-Allow-Methods"));
        Assert.Contains("Authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Contains("Content-Type", Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Equal("300", Header(response, "Access-Control-Max-Age"));
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_preflight_from_an_origin_nobody_allows_gets_no_cors_headers_and_the_browser_stops_there()
    {
        using var response = await PreflightAsync(_host, "https://elsewhere.example");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task The_host_allowed_origin_may_read_answers_and_their_rate_limit_headers_with_any_tenants_key()
    {
        using var client = await _host.NewTenantAsync();
        using var response = await PostAsync(client, Everyone, "{ metadataVersion }");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Everyone, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("RateLimit-Limit, RateLimit-Remaining, Retry-After", Header(response, "Access-Control-Expose-Headers"));
        Assert.NotNull(Header(response, "RateLimit-Remaining"));
    }

    [Fact]
    public async Task An_origin_a_tenant_admin_allows_is_kept_in_the_tenants_store_and_lets_in_only_that_tenants_keys()
    {
        using var tenant = await _host.NewTenantAsync();
        using var other = await _host.NewTenantAsync();
        const string App = "https://app.tenant.example";
        Assert.Null(Header(await PreflightAsync(_host, App), "Access-Control-Allow-Origin"));

        var set = await tenant.MutateAsync(SetOrigins, new { o = new[] { App + "/", "HTTP://LOCALHOST:3000" } });
        Assert.Equal(["http://localhost:3000", App], set["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal(2, (await tenant.QueryAsync("{ allowedOrigins }"))["allowedOrigins"]!.AsArray().Count);

        Assert.Equal(App, Header(await PreflightAsync(_host, App), "Access-Control-Allow-Origin"));
        using (var allowed = await PostAsync(tenant, App, "{ metadataVersion }"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(App, Header(allowed, "Access-Control-Allow-Origin"));
        }

        // The preflight passed (it carries no key), but the other tenant never allowed the page: nothing runs.
        using (var refused = await PostAsync(other, App, "mutation { createEntity(input: { name: \"spy\", labels: [{ locale: \"en\", text: \"Spy\" }, { locale: \"zh-CN\", text: \"间谍\" }], fields: [] }) { entity { name } } }"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Null(Header(refused, "Access-Control-Allow-Origin"));
            Assert.Equal("ORIGIN_NOT_ALLOWED", (await GraphQLResponse.ReadAsync(refused)).FirstErrorCode);
        }

        Assert.Empty((await other.QueryAsync("{ entities { name } }"))["entities"]!.AsArray());

        // Kept in the tenant's store: a host started afterwards on the same store knows it.
        using (var second = new CrmHost(_store))
        {
            Assert.Equal(App, Header(await PreflightAsync(second, App), "Access-Control-Allow-Origin"));
        }

        await tenant.MutateAsync(SetOrigins, new { o = Array.Empty<string>() });
        Assert.Null(Header(await PreflightAsync(_host, App), "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Only_admins_allow_origins_and_anything_that_is_not_an_origin_is_refused_with_a_code()
    {
        using var admin = await _host.NewTenantAsync();
        var userKey = await _host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "user", ["user"], null, null, CancellationToken.None);
        using var user = _host.Client(admin.TenantId, userKey.Key);

        var byUser = await user.QueryAsync(SetOrigins, new { o = new[] { "https://app.example" } });
        Assert.Equal("FORBIDDEN", byUser["setAllowedOrigins"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        foreach (var bad in new[] { "https://*.example.com", "https://app.example.com/path", "ftp://app.example.com", "app.example.com", "*" })
        {
            var data = await admin.QueryAsync(SetOrigins, new { o = new[] { "https://fine.example", bad } });
            Assert.Null(data["setAllowedOrigins"]!["allowedOrigins"]);
            Assert.Equal(("INVALID_VALUE", "origins"), (data["setAllowedOrigins"]!["userErrors"]![0]!["code"]!.GetValue<string>(), data["setAllowedOrigins"]!["userErrors"]![0]!["field"]!.GetValue<string>()));
        }

        Assert.Empty((await admin.QueryAsync("{ allowedOrigins }"))["allowedOrigins"]!.AsArray());
        Assert.Equal("FORBIDDEN", (await user.PostAsync("{ allowedOrigins }")).FirstErrorCode);
    }

    [Fact]
    public async Task Pages_on_the_host_itself_such_as_GraphiQL_need_no_allowance()
    {
        using var client = await _host.NewTenantAsync();
        using var response = await PostAsync(client, _host.BaseAddress.GetLeftPart(UriPartial.Authority), "{ metadataVersion }");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> PreflightAsync(CrmHost host, string origin)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostAsync(TenantClient client, string origin, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        request.Headers.Add("Origin", origin);
        return await client.Http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
