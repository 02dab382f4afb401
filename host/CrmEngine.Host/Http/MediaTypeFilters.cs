using CrmEngine.Engine.Errors;
using Microsoft.Net.Http.Headers;
using static CrmEngine.Host.Http.GraphQLHttpHandler;

namespace CrmEngine.Host.Http;

/// <summary>
/// The first checks of the GraphQL endpoints, before anyone is authenticated: which media type the
/// answer is written as (406 when the client accepts none we speak), and for POST, that the body is
/// JSON in UTF-8 (415). GET without a query, asked for HTML, is GraphiQL's page.
/// </summary>
public static class MediaTypeFilters
{
    /// <summary>POST /graphql: an accepted media type and a JSON body, or a multipart upload with its preflight header.</summary>
    public static async ValueTask<object?> JsonBodyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!await NegotiateAsync(http))
        {
            return null;
        }

        // Files come as multipart/form-data, which a cross-site form may post too: only with a header
        // no form can set (a browser preflights it), as Apollo requires.
        if (MultipartRequestReader.IsMultipart(http.Request))
        {
            if (MultipartRequestReader.HasPreflightHeader(http.Request))
            {
                return await next(context);
            }

            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, GraphQLRequestFeature.Of(http).MediaType, ErrorCodes.PreflightRequired,
                $"A multipart request must carry a {MultipartRequestReader.PreflightHeaders[0]} (or {MultipartRequestReader.PreflightHeaders[1]}) header, which a cross-site form can't send.");
            return null;
        }

        if (!IsJson(http.Request.ContentType))
        {
            await WriteErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, GraphQLRequestFeature.Of(http).MediaType, ErrorCodes.BadRequest, "Send the request as Content-Type: application/json (UTF-8).");
            return null;
        }

        return await next(context);
    }

    /// <summary>Whether a request body of this content type is JSON in UTF-8 (no charset means UTF-8).</summary>
    public static bool IsJson(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)
        && (!parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>GET /graphql: GraphiQL's page for a browser, otherwise an accepted media type.</summary>
    public static async ValueTask<object?> QueryOrPageAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (string.IsNullOrEmpty(http.Request.Query["query"].ToString()) && AcceptsHtml(http.Request))
        {
            await GraphiQLPage.WriteAsync(http, GraphiQLAssets.Instance);
            return null;
        }

        return await NegotiateAsync(http) ? await next(context) : null;
    }

    /// <summary>GET /graphql/schema.graphql: the SDL is text; errors are plain JSON.</summary>
    public static ValueTask<object?> SchemaAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Features.Set(new GraphQLRequestFeature(Json));
        return next(context);
    }

    private static async Task<bool> NegotiateAsync(HttpContext http)
    {
        if (Negotiate(http.Request) is not { } mediaType)
        {
            await WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, Json, ErrorCodes.BadRequest, $"Accept {GraphQLResponseJson} or {Json}.");
            return false;
        }

        http.Features.Set(new GraphQLRequestFeature(mediaType));
        return true;
    }

    /// <summary>The response media type the client accepts, preferring the GraphQL one; null when it accepts neither.</summary>
    private static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        foreach (var value in accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var type = value.MediaType.Value;
            if (string.Equals(type, GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseJson;
            }

            if (string.Equals(type, Json, StringComparison.OrdinalIgnoreCase) || type is "*/*" or "application/*")
            {
                return Json;
            }
        }

        return null;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => string.Equals(a.MediaType.Value, "text/html", StringComparison.OrdinalIgnoreCase));
}
