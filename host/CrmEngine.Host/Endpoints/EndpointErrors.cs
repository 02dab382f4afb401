using System.Text.Encodings.Web;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Host.Http;

namespace CrmEngine.Host.Endpoints;

/// <summary>
/// How public endpoints refuse: the API's typed JSON error (<c>errors[0].extensions.code</c>), or, for
/// a GET from a browser (Accept names text/html), a small page with the same message and code, since a
/// person, not a program, opened the link.
/// </summary>
public static class EndpointErrors
{
    public static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        if (!HttpMethods.IsGet(http.Request.Method) || !http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return GraphQLHttpHandler.WriteErrorAsync(http, status, GraphQLHttpHandler.Json, code, message);
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        var html = HtmlEncoder.Default;
        return http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{status}</title></head>
            <body><p>{html.Encode(message)}</p><p><small>{html.Encode(code)} · {html.Encode(Correlation.Current ?? string.Empty)}</small></p></body></html>
            """, http.RequestAborted);
    }
}
