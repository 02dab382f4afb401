namespace CrmEngine.Host.Http;

/// <summary>
/// The GraphiQL IDE, served to browsers at GET /graphql. It loads GraphiQL from a CDN and sends the
/// API key typed into its header editor; the page itself holds no data.
/// </summary>
internal static class GraphiQLPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>CrmEngine GraphiQL</title>
          <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
          <link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css" />
        </head>
        <body>
          <div id="graphiql">Loading GraphiQL... Put your API key in the Headers tab: {"Authorization": "Bearer crm_..."}</div>
          <script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
          <script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
          <script crossorigin src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
          <script>
            const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
            ReactDOM.createRoot(document.getElementById('graphiql')).render(
              React.createElement(GraphiQL, { fetcher, defaultHeaders: '{"Authorization": "Bearer "}', shouldPersistHeaders: true }));
          </script>
        </body>
        </html>
        """;
}
