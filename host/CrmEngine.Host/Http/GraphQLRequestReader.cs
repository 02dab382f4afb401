using System.Runtime.InteropServices;
using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Guard;
using GraphQL;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// Reads GraphQL requests off HTTP: a POST's JSON body (one operation or a batch) or a GET's query
/// parameters. Anything malformed, including text that is not valid UTF-8 or holds an unpaired
/// surrogate, is a <see cref="BadGraphQLRequestException"/> (400), never a server error.
/// </summary>
public sealed class GraphQLRequestReader(IGraphQLTextSerializer serializer, IOptions<EndpointLimits> limits, DocumentGuard guard)
{
    private const int MaxJsonDepth = 64;

    /// <summary>The operations of a POST body, and whether they came as a batch.</summary>
    public async Task<(List<CrmGraphQLRequest> Requests, bool Batched)> ReadPostAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth }, cancellationToken);
            var batched = json.RootElement.ValueKind == JsonValueKind.Array;
            return (batched ? ReadBatch(json.RootElement) : [ReadBody(json.RootElement)], batched);
        }
        catch (JsonException e)
        {
            throw new BadGraphQLRequestException($"The request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The operation of a GET: query, operationName, variables and extensions parameters.</summary>
    public CrmGraphQLRequest ReadGet(IQueryCollection query)
    {
        var text = query["query"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            throw new BadGraphQLRequestException("Pass the GraphQL document in the 'query' parameter.");
        }

        var operationName = query["operationName"].ToString();
        return CrmGraphQLRequest.Parse(text, operationName.Length == 0 ? null : operationName, JsonParameter(query, "variables"), JsonParameter(query, "extensions"));
    }

    private List<CrmGraphQLRequest> ReadBatch(JsonElement batch)
    {
        var count = batch.GetArrayLength();
        if (count == 0)
        {
            throw new BadGraphQLRequestException("The batch is empty: send at least one operation.");
        }

        var max = limits.Value.MaxBatchSize;
        if (count > max)
        {
            throw new BadGraphQLRequestException($"The batch holds {count} operations; at most {max} may be sent in one request.", ErrorCodes.BatchTooLarge);
        }

        return batch.EnumerateArray().Select(ReadBody).ToList();
    }

    private CrmGraphQLRequest ReadBody(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BadGraphQLRequestException("The request body must be a JSON object with a 'query' string.");
        }

        var hasQuery = body.TryGetProperty("query", out var value) && value.ValueKind == JsonValueKind.String;

        // Counted while still JSON: a document over a limit is refused without becoming a string
        // (for a hostile one, garbage the size of the body, which costs every request its collection).
        var raw = hasQuery ? JsonMarshal.GetRawUtf8Value(value) : default;
        var census = hasQuery ? guard.CheckJsonText(raw[1..^1]) : default;
        var query = census.Refusal is not null ? string.Empty
            : !hasQuery ? null
            : raw.Length >= DocumentParsing.LocatedChars ? LongText(raw)
            : Text(value, "query");
        if (census.Refusal is null && string.IsNullOrWhiteSpace(query))
        {
            throw new BadGraphQLRequestException("The request body needs a 'query' string holding the GraphQL document.");
        }

        // Not parsed here: POST allows every operation, and the executor reuses documents it has already validated.
        return new CrmGraphQLRequest(query!, OptionalString(body, "operationName"), OptionalObject(body, "variables"), OptionalObject(body, "extensions")) { Census = hasQuery ? census : null };
    }

    private static string? OptionalString(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? Text(value, name)
        : throw new BadGraphQLRequestException($"'{name}' must be a string or null.");

    /// <summary>A JSON string's text; System.Text.Json throws on invalid UTF-8 and unpaired surrogate escapes only when the string is read.</summary>
    private static string Text(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw NotText(name);
        }
    }

    /// <summary>
    /// A long document's text without its comments (which leave every token where it was), decoded
    /// into a pooled buffer first: a document padded with a long comment becomes only the string it
    /// needs, not one the size of the body.
    /// </summary>
    private static string LongText(ReadOnlySpan<byte> rawJsonString)
    {
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(rawJsonString.Length);
        try
        {
            var json = new Utf8JsonReader(rawJsonString);
            json.Read();
            var length = json.CopyString(buffer);
            return DocumentParsing.WithoutComments(buffer.AsSpan(0, length));
        }
        catch (InvalidOperationException)
        {
            throw NotText("query");
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static BadGraphQLRequestException NotText(string name) =>
        new($"'{name}' is not valid text: it holds bytes that are not UTF-8 or an unpaired surrogate (\\ud800-\\udfff).");

    private Inputs? OptionalObject(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Object ? Inputs(value, name)
        : throw new BadGraphQLRequestException($"'{name}' must be a JSON object or null.");

    private Inputs? JsonParameter(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Inputs(document.RootElement, name)
                : throw new BadGraphQLRequestException($"'{name}' must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new BadGraphQLRequestException($"'{name}' is not valid JSON: {e.Message}");
        }
    }

    private Inputs Inputs(JsonElement value, string name)
    {
        try
        {
            return serializer.ReadNode<Inputs>(value)!;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new BadGraphQLRequestException($"'{name}' could not be read: " + e switch
            {
                JsonException => e.Message,
                ArgumentException => "a name appears twice in one object.",
                _ => "it holds text that is not valid UTF-8 or a value out of range.",
            });
        }
    }
}

/// <summary>A malformed request: answered with 400 and its code.</summary>
public sealed class BadGraphQLRequestException(string message, string code = ErrorCodes.BadRequest) : Exception(message)
{
    public string Code { get; } = code;
}
