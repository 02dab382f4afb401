using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CrmEngine.Sdk.Testing;

/// <summary>
/// GraphQL over HTTP to one tenant of a <see cref="CrmTestHost"/>, with one key. <see cref="PostAsync"/>
/// returns any response as it came; the other methods check the outcome a test expects and throw a
/// <see cref="GraphQLException"/> (with the whole response) when it isn't so, whatever test
/// framework you use.
/// </summary>
public sealed class GraphQLClient : IDisposable
{
    internal GraphQLClient(string tenantId, HttpClient http)
    {
        TenantId = tenantId;
        Http = http;
    }

    /// <summary>The tenant this client's key belongs to.</summary>
    public string TenantId { get; }

    /// <summary>The HTTP client (its base address is the host's, its Authorization header the key), for requests other than GraphQL.</summary>
    public HttpClient Http { get; }

    /// <summary>Posts <paramref name="document"/> (a query or mutation) with <paramref name="variables"/> (any object System.Text.Json serializes, or null) to <c>/graphql</c>.</summary>
    public async Task<GraphQLResponse> PostAsync(string document, object? variables = null, CancellationToken cancellationToken = default)
    {
        using var content = JsonContent.Create(new { query = document, variables });
        using var response = await Http.PostAsync(new Uri("graphql", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        return await GraphQLResponse.ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a document that must succeed without <c>errors</c> and returns its <c>data</c>.</summary>
    /// <exception cref="GraphQLException">The response had errors or no data.</exception>
    public async Task<JsonNode> QueryAsync(string document, object? variables = null, CancellationToken cancellationToken = default)
    {
        var response = await PostAsync(document, variables, cancellationToken).ConfigureAwait(false);
        if (response.Errors is { Count: > 0 } || response.Data is null)
        {
            throw new GraphQLException($"Expected data without errors, got the errors {string.Join(", ", response.ErrorCodes)}.", response);
        }

        return response.Data;
    }

    /// <summary>
    /// Runs a query again until <paramref name="done"/> holds for its data, for work the host does
    /// after a write commits (after hooks, rules, job runs), for at most <paramref name="timeout"/>
    /// (15 seconds by default). Returns the last answer either way, for the test to assert on.
    /// </summary>
    public async Task<JsonNode> EventuallyAsync(string document, Func<JsonNode, bool> done, object? variables = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(done);
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var data = await QueryAsync(document, variables, cancellationToken).ConfigureAwait(false);
            if (done(data) || DateTime.UtcNow > until)
            {
                return data;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a mutation (one field) that must succeed without <c>errors</c> or <c>userErrors</c>, and
    /// returns its payload (such as <c>{ task { id } userErrors }</c>, or <c>{ result userErrors }</c>
    /// for a plugin's operation). Select <c>userErrors { code message }</c> so refusals are seen.
    /// </summary>
    /// <exception cref="GraphQLException">The response had errors, or the payload userErrors.</exception>
    public async Task<JsonNode> MutateAsync(string document, object? variables = null, CancellationToken cancellationToken = default)
    {
        var response = await PostAsync(document, variables, cancellationToken).ConfigureAwait(false);
        var payload = Payload(response);
        if (response.UserErrors.Count > 0)
        {
            throw new GraphQLException($"Expected no userErrors, got {string.Join(", ", response.UserErrorCodes)}.", response);
        }

        return payload;
    }

    /// <summary>
    /// Runs a mutation (one field) that must be refused with <c>userErrors</c> (and no request-level
    /// errors), and returns the first of them. A plugin operation's payload must then carry no
    /// <c>result</c> (null), as the SDK promises.
    /// </summary>
    /// <exception cref="GraphQLException">The response had errors, the payload no userErrors, or a result beside them.</exception>
    public async Task<UserError> RefusedAsync(string document, object? variables = null, CancellationToken cancellationToken = default)
    {
        var response = await PostAsync(document, variables, cancellationToken).ConfigureAwait(false);
        var payload = Payload(response);
        if (response.UserErrors.Count == 0)
        {
            throw new GraphQLException("Expected userErrors, got none.", response);
        }

        return payload["result"] is null
            ? response.UserErrors[0]
            : throw new GraphQLException("A refused operation must return no result.", response);
    }

    /// <summary>Disposes the HTTP client.</summary>
    public void Dispose() => Http.Dispose();

    private static JsonNode Payload(GraphQLResponse response)
    {
        if (response.Errors is { Count: > 0 } || response.Data is not JsonObject { Count: 1 } data || data.Single().Value is not { } payload)
        {
            throw new GraphQLException($"Expected one mutation payload without errors, got {(response.ErrorCodes.Count > 0 ? "the errors " + string.Join(", ", response.ErrorCodes) : "no payload")}.", response);
        }

        return payload;
    }
}
