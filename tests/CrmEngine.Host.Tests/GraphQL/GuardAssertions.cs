using System.Diagnostics;
using System.Net;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>What the document-guard tests check of a refusal: a request error with its code, within seconds, and a host that still serves.</summary>
internal static class GuardAssertions
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);

    /// <summary>Posts a document that must be refused as a request error with <paramref name="code"/>, within seconds.</summary>
    public static async Task<GraphQLResponse> RefusedQuicklyAsync(TenantClient client, string query, string code, object? variables = null)
    {
        var watch = Stopwatch.StartNew();
        var response = await client.PostAsync(query, variables, GraphQLResponseJson);
        Assert.True(watch.Elapsed < Quickly, $"took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(code, response.FirstErrorCode);
        return response;
    }

    public static string Message(GraphQLResponse response) => response.Errors![0]!["message"]!.GetValue<string>();

    public static async Task AssertStillServedAsync(TenantClient client) =>
        Assert.NotNull((await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]);
}
