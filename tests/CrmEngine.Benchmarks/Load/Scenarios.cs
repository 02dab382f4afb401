using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CrmEngine.Benchmarks.Load;

/// <summary>One scenario as requests to the engine (GraphQL) and to the raw baseline (plain endpoints doing the same SQL).</summary>
public sealed record Scenario(string Name, Func<Random, HttpRequestMessage> Engine, Func<Random, HttpRequestMessage> Raw, bool IsWrite = false);

/// <summary>The five scenarios of the issue, with equivalent payloads on both sides, and a fixed-cost probe.</summary>
public static class Scenarios
{
    private const string PageQuery = """
        query($status: String!) { leads(first: 50, filter: { status: { eq: $status } }, orderBy: [{ lastContactedAt: DESC }]) {
          edges { cursor node { id name company email phone status source score budget { amount currency } lastContactedAt } } pageInfo { hasNextPage endCursor } } }
        """;

    private const string GetQuery = "query($id: ID!) { lead(id: $id) { id name company email phone status source score budget { amount currency } lastContactedAt } }";

    private const string CreateMutation = "mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } userErrors { code message } } }";

    private const string AggregateQuery = "{ leadsAggregate(groupBy: [{ field: status }]) { groups { key { status } count } } }";

    private const string SearchQuery = "query($text: String!) { search(text: $text, entities: [\"lead\"], first: 20) { score record { ... on Lead { id name company } } } }";

    public static IReadOnlyList<Scenario> All(Dataset dataset, string apiKey)
    {
        HttpRequestMessage Graph(string query, object? variables)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            return message;
        }

        string Status(Random r) => LeadDataset.Statuses[r.Next(LeadDataset.Statuses.Length)];
        Guid Id(Random r) => dataset.SampleIds[r.Next(dataset.SampleIds.Count)];
        var created = 0;
        Dictionary<string, object?> NewLead(Random r) => LeadDataset.Row(dataset.Rows + 10_000_000 + Interlocked.Increment(ref created) + (r.Next() % 1000 * 100_000), r);

        return
        [
            new("page of 50 (status = x, by lastContactedAt desc)",
                r => Graph(PageQuery, new { status = Status(r) }),
                r => new HttpRequestMessage(HttpMethod.Get, "/raw/page?status=" + Status(r))),
            new("get by id",
                r => Graph(GetQuery, new { id = Id(r).ToString() }),
                r => new HttpRequestMessage(HttpMethod.Get, "/raw/get?id=" + Id(r))),
            new("create",
                r => Graph(CreateMutation, new { input = ToGraphInput(NewLead(r)) }),
                r => new HttpRequestMessage(HttpMethod.Post, "/raw/create") { Content = JsonContent.Create(ToGraphInput(NewLead(r))) },
                IsWrite: true),
            new("aggregate: count by status",
                _ => Graph(AggregateQuery, null),
                _ => new HttpRequestMessage(HttpMethod.Get, "/raw/aggregate")),
            new($"search \"{LeadDataset.SearchText}\" (top 20)",
                _ => Graph(SearchQuery, new { text = LeadDataset.SearchText }),
                _ => new HttpRequestMessage(HttpMethod.Get, "/raw/search?text=" + Uri.EscapeDataString(LeadDataset.SearchText))),

            // Not one of the scenarios: the fixed cost of a request that reads nothing
            // (authentication, rate limiting, parsing, guard, execution, serialization) against a
            // bare endpoint, to tell per-request overhead from per-row work.
            new("fixed cost: { __typename }",
                _ => Graph("{ __typename }", null),
                _ => new HttpRequestMessage(HttpMethod.Get, "/raw/ping")),
        ];
    }

    /// <summary>A generated lead as GraphQL input (money as { amount }, dates as ISO text).</summary>
    public static Dictionary<string, object?> ToGraphInput(Dictionary<string, object?> row) => row.ToDictionary(p => p.Key, p => p.Value switch
    {
        DateTime instant => instant.ToString("O", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => p.Value,
    });

    /// <summary>An engine response counts as a success when it has no GraphQL errors and no userErrors.</summary>
    public static bool EngineSucceeded(string body) =>
        !body.Contains("\"errors\"", StringComparison.Ordinal) && !body.Contains("\"userErrors\":[{", StringComparison.Ordinal);

    public static bool RawSucceeded(string body) => body.Length > 0 && body[0] is '{' or '[';

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
