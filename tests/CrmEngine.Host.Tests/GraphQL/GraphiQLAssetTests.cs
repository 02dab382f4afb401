using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>The GraphiQL page and its assets over plain HTTP: all from this host, typed, and cached the way browsers can rely on.</summary>
[Collection(HostGroup.Name)]
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed partial class GraphiQLAssetTests(HostFixture fixture)
{
    [Fact]
    public async Task The_page_loads_only_this_hosts_assets_each_with_its_content_type()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var (page, assets) = await PageAsync(http);

        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);
        Assert.Equal(["graphiql.css", "graphiql.js"], assets.Select(a => a[(a.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal));
        foreach (var (name, type) in new[] { ("graphiql.js", "text/javascript"), ("graphiql.css", "text/css"), ("editor.worker.js", "text/javascript"), ("json.worker.js", "text/javascript"), ("graphql.worker.js", "text/javascript") })
        {
            using var response = await http.GetAsync(Folder(assets) + "/" + name);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.True(response.Content.Headers.ContentLength > 1000, name);
        }
    }

    [Fact]
    public async Task Assets_are_kept_by_browsers_under_a_versioned_path_revalidate_by_etag_and_come_gzipped_when_asked()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var (_, assets) = await PageAsync(http);
        var script = assets.Single(a => a.EndsWith(".js", StringComparison.Ordinal));

        using var first = await http.GetAsync(script);
        var cache = first.Headers.CacheControl!;
        Assert.True(cache.Public);
        Assert.Equal(TimeSpan.FromDays(365), cache.MaxAge);
        Assert.Contains(cache.Extensions, e => e.Name == "immutable");
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, script) { Headers = { IfNoneMatch = { etag } } };
        using var revalidated = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());

        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, script) { Headers = { AcceptEncoding = { new StringWithQualityHeaderValue("gzip") } } };
        using var gzipped = await http.SendAsync(gzipRequest);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.True(gzipped.Content.Headers.ContentLength < first.Content.Headers.ContentLength / 2);
        Assert.NotEqual(etag, gzipped.Headers.ETag);

        // Another build's folder, or a name that is not an asset, is not found.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/graphiql/0000000000000000/graphiql.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Folder(assets) + "/appsettings.json")).StatusCode);
    }

    private static async Task<(HttpResponseMessage Page, List<string> Assets)> PageAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } } };
        var page = await http.SendAsync(request);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var assets = Links().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.All(assets, a => Assert.StartsWith("/graphiql/", a, StringComparison.Ordinal));
        Assert.DoesNotContain("//", html.Replace("<!doctype", "", StringComparison.Ordinal), StringComparison.Ordinal);
        return (page, assets);
    }

    private static string Folder(List<string> assets) => assets[0][..assets[0].LastIndexOf('/')];

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex Links();
}
