using System.Net;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Microsoft.Playwright.Assertions;

namespace CrmEngine.Host.Tests.Browser;

/// <summary>
/// A frontend on another origin calls the API from Chromium: a tiny second server serves a page
/// whose script POSTs a query with fetch and the tenant's key. The origin the tenant allowed reads
/// the answer; another origin is stopped by the browser.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class CrossOriginPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>Calls the API named in ?api= with the key in ?key= and puts what happened on the body.</summary>
    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>frontend</title></head>
        <body>
        <script type="module">
          const params = new URLSearchParams(location.search);
          try {
            const response = await fetch(params.get('api'), {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + params.get('key') },
              body: JSON.stringify({ query: '{ metadataVersion }' }),
            });
            document.body.dataset.result = `${response.status} ${await response.text()} remaining=${response.headers.get('RateLimit-Remaining')}`;
          } catch (e) {
            document.body.dataset.result = 'blocked: ' + e.name;
          }
        </script>
        </body></html>
        """;

    [BrowserFact]
    public async Task A_page_on_an_origin_the_tenant_allows_reads_the_answer_and_one_on_another_origin_is_blocked_by_the_browser()
    {
        using var host = new CrmHost();
        using var client = await host.NewTenantAsync();
        await using var frontend = await StartFrontendAsync();
        var (allowed, other) = (frontend.Urls[0], frontend.Urls[1]);
        await client.MutateAsync("mutation($o: [String!]!) { setAllowedOrigins(origins: $o) { userErrors { code } } }", new { o = new[] { allowed } });
        var api = new Uri(host.BaseAddress, "/graphql").ToString();
        await using var context = await chromium.Browser.NewContextAsync();
        var elsewhere = await Chromium.IsolateAsync(context, host.BaseAddress.GetLeftPart(UriPartial.Authority), allowed, other);
        var page = await context.NewPageAsync();
        var query = $"/?api={Uri.EscapeDataString(api)}&key={Uri.EscapeDataString(client.Key!)}";

        await page.GotoAsync(allowed + query);
        var result = page.Locator("body[data-result]");
        await Expect(result).ToHaveCountAsync(1);
        var answer = await result.GetAttributeAsync("data-result");
        Assert.StartsWith("200 {\"data\":{\"metadataVersion\":0}}", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("remaining=null", answer, StringComparison.Ordinal);

        await page.GotoAsync(other + query);
        await Expect(result).ToHaveCountAsync(1);
        Assert.Equal("blocked: TypeError", await result.GetAttributeAsync("data-result"));
        Assert.Empty(elsewhere);
    }

    /// <summary>One small server listening on two loopback ports: two origins serving the same page.</summary>
    private static async Task<Frontend> StartFrontendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8"));
        await app.StartAsync();
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        return new Frontend(app, urls);
    }

    private sealed record Frontend(WebApplication App, List<string> Urls) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
