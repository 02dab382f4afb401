using System.Text.Json;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution.Writing;

namespace CrmEngine.Host.Http;

/// <summary>The API's JSON errors on the routes beside /graphql (import, export): the status, and each error's message, code, field and correlation id.</summary>
public static class HttpErrors
{
    public static async Task WriteAsync(HttpContext http, int status, IReadOnlyList<CrmError> errors)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = GraphQLHttpHandler.Json + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body,
            new { errors = errors.Select(e => new { message = e.Message, extensions = new { code = e.Code, field = e.Field, correlationId = Correlation.Current } }) },
            ResponseJson.Options, http.RequestAborted);
    }
}
