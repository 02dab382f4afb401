namespace CrmEngine.Host.Http;

/// <summary>
/// The GraphiQL IDE, served to browsers at GET /graphql. Everything it loads comes from this host
/// (<see cref="GraphiQLAssets"/>), and its content security policy lets it reach nothing else. It
/// sends the API key typed into its headers editor and keeps the headers in the browser's storage;
/// the page itself holds no data.
/// </summary>
internal static class GraphiQLPage
{
    /// <summary>Only this host: scripts, workers, styles (Monaco also sets inline styles), fonts (GraphiQL inlines some), requests.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static Task WriteAsync(HttpContext http, GraphiQLAssets assets)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // Under the path base, so the page also works behind a proxy that adds one.
        var folder = http.Request.PathBase.Add(assets.Path).ToUriComponent();
        return http.Response.WriteAsync($$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8" />
              <title>CrmEngine GraphiQL</title>
              <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
              <link rel="stylesheet" href="{{folder}}/graphiql.css" />
              <script type="module" src="{{folder}}/graphiql.js"></script>
            </head>
            <body>
              <div id="graphiql">Loading GraphiQL... Put your API key in the Headers tab: {"Authorization": "Bearer crm_..."}</div>
            </body>
            </html>
            """, http.RequestAborted);
    }
}
