using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmEngine.Host.Tests.Support;

/// <summary>GraphQL over real HTTP as one tenant's API key.</summary>
public sealed class TenantClient(string tenantId, string? key, HttpClient http) : IDisposable
{
    public string TenantId { get; } = tenantId;

    public string? Key { get; } = key;

    public HttpClient Http { get; } = http;

    /// <summary>Posts a query and returns the whole response (status, JSON body).</summary>
    public async Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await Http.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }

    /// <summary>Runs a query that must succeed: no GraphQL errors; returns "data".</summary>
    public async Task<JsonNode> QueryAsync(string query, object? variables = null)
    {
        var response = await PostAsync(query, variables);
        Assert.True(response.Errors is null, $"GraphQL errors: {response.Errors?.ToJsonString()}\nfor: {query}");
        return response.Data!;
    }

    /// <summary>Runs a mutation and returns its payload, asserting it had no userErrors.</summary>
    public async Task<JsonNode> MutateAsync(string query, object? variables = null)
    {
        var data = await QueryAsync(query, variables);
        var payload = data.AsObject().Single().Value!;
        var userErrors = payload["userErrors"]?.AsArray();
        Assert.True(userErrors is null || userErrors.Count == 0, $"userErrors: {userErrors?.ToJsonString()}\nfor: {query}");
        return payload;
    }

    /// <summary>
    /// Polls a query until <paramref name="done"/> holds (work the host does in the background: after-commit
    /// handlers, job runs), at most <paramref name="timeout"/> (15 seconds by default); returns the last
    /// answer either way, for the test to assert on.
    /// </summary>
    public async Task<JsonNode> EventuallyAsync(string query, Func<JsonNode, bool> done, object? variables = null, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var data = await QueryAsync(query, variables);
            if (done(data) || DateTime.UtcNow > until)
            {
                return data;
            }

            await Task.Delay(50);
        }
    }

    public void Dispose() => Http.Dispose();
}

public sealed record GraphQLResponse(HttpStatusCode Status, string? MediaType, JsonNode? Body, string Raw)
{
    public JsonNode? Data => Body?["data"];

    public JsonArray? Errors => Body?["errors"]?.AsArray();

    public string? FirstErrorCode => Errors?[0]?["extensions"]?["code"]?.GetValue<string>();

    public static async Task<GraphQLResponse> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try
        {
            body = raw.Length == 0 ? null : JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            // Not JSON: the assertions on Raw say so.
        }

        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, raw);
    }
}

/// <summary>Builds JSON request bodies by hand, for transport tests that need exact bytes.</summary>
public static class RawBody
{
    public static StringContent Json(string json, string contentType = "application/json") => new(json, Encoding.UTF8, contentType);
}
