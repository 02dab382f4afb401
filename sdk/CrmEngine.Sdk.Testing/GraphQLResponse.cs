using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmEngine.Sdk.Testing;

/// <summary>One GraphQL response as the server sent it: the HTTP status and the JSON body.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The parsed body; null when it was empty or not JSON (see <paramref name="Raw"/>).</param>
/// <param name="Raw">The body as text.</param>
public sealed record GraphQLResponse(HttpStatusCode Status, JsonNode? Body, string Raw)
{
    /// <summary>The response's <c>data</c>, or null.</summary>
    public JsonNode? Data => Body?["data"];

    /// <summary>The response's <c>errors</c> (request-level errors: bad documents, missing rights, limits), or null when there were none.</summary>
    public JsonArray? Errors => Body?["errors"] as JsonArray;

    /// <summary>The <c>extensions.code</c> of each entry of <see cref="Errors"/>, in order.</summary>
    public IReadOnlyList<string> ErrorCodes => Errors?.Select(e => e?["extensions"]?["code"]?.GetValue<string>() ?? string.Empty).ToList() ?? [];

    /// <summary>
    /// The <c>userErrors</c> of every mutation payload in <see cref="Data"/> (refusals: validation,
    /// hooks, operations), in order; empty when there were none.
    /// </summary>
    public IReadOnlyList<UserError> UserErrors => Data is JsonObject data
        ? data.Select(payload => payload.Value?["userErrors"]).OfType<JsonArray>().SelectMany(errors => errors).Select(UserError.Read).ToList()
        : [];

    /// <summary>The <see cref="UserError.Code"/> of each of <see cref="UserErrors"/>, in order.</summary>
    public IReadOnlyList<string> UserErrorCodes => UserErrors.Select(e => e.Code).ToList();

    internal static async Task<GraphQLResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var raw = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonNode? body = null;
        try
        {
            body = raw.Length == 0 ? null : JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            // Not JSON: Raw shows what came.
        }

        return new GraphQLResponse(response.StatusCode, body, raw);
    }
}

/// <summary>One entry of a mutation payload's <c>userErrors</c>: a refusal meant for the client.</summary>
/// <param name="Code">The error code, such as <c>REQUIRED</c>, <c>REJECTED</c> or a plugin's own code.</param>
/// <param name="Field">The input field it is about, if any.</param>
/// <param name="Message">The message for people.</param>
public sealed record UserError(string Code, string? Field, string Message)
{
    internal static UserError Read(JsonNode? node) => new(
        node?["code"]?.GetValue<string>() ?? string.Empty,
        node?["field"]?.GetValue<string>(),
        node?["message"]?.GetValue<string>() ?? string.Empty);
}

/// <summary>A GraphQL request that did not go as the test expected: it carries the whole response.</summary>
public sealed class GraphQLException : Exception
{
    /// <summary>Creates the exception for <paramref name="response"/>.</summary>
    public GraphQLException(string message, GraphQLResponse response)
        : base($"{message}\nResponse ({(int)response.Status}): {response.Raw}")
    {
        Response = response;
    }

    /// <summary>Creates an exception with no response (use the other constructor).</summary>
    public GraphQLException()
    {
        Response = new GraphQLResponse(HttpStatusCode.OK, null, string.Empty);
    }

    /// <summary>Creates an exception with no response (use the other constructor).</summary>
    public GraphQLException(string message)
        : base(message)
    {
        Response = new GraphQLResponse(HttpStatusCode.OK, null, string.Empty);
    }

    /// <summary>Creates an exception with no response (use the other constructor).</summary>
    public GraphQLException(string message, Exception innerException)
        : base(message, innerException)
    {
        Response = new GraphQLResponse(HttpStatusCode.OK, null, string.Empty);
    }

    /// <summary>The response that was not as expected.</summary>
    public GraphQLResponse Response { get; }
}
