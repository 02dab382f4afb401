using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Rules.RuleQueries;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Observability;

/// <summary>
/// Every answer carries a correlation id in its X-Correlation-Id header; every error carries the same
/// id (GraphQL errors in <c>extensions.correlationId</c>, problem documents as <c>correlationId</c>),
/// and every log line written for the request has it in its scope. The caller's own id is kept; else
/// it is the request's trace id.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class CorrelationTests(TelemetryFixture fixture)
{
    private const string Header = "X-Correlation-Id";

    [Fact]
    public async Task An_unauthenticated_request_a_bad_query_and_an_unknown_path_all_answer_with_the_correlation_id_of_their_header()
    {
        using var client = await fixture.Host.NewTenantAsync();
        using var anonymous = fixture.Host.Client(client.TenantId, null);

        using var unauthenticated = await anonymous.Http.PostAsJsonAsync("/graphql", new { query = "{ __typename }" });
        using var invalid = await client.Http.PostAsJsonAsync("/graphql", new { query = "{ noSuchField }" });
        using var unknownPath = await client.Http.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", await GraphQLErrorIdAsync(unauthenticated));
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", await GraphQLErrorIdAsync(invalid));
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
        var problem = JsonNode.Parse(await unknownPath.Content.ReadAsStringAsync())!;
        Assert.Equal(HeaderOf(unknownPath), problem["correlationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_callers_correlation_id_is_kept_and_one_that_is_not_a_plain_token_is_replaced()
    {
        using var client = await fixture.Host.NewTenantAsync();

        using var kept = await SendAsync(client, "{ noSuchField }", ("X-Correlation-Id", "order-7781.retry_2"));
        using var replaced = await SendAsync(client, "{ noSuchField }", ("X-Correlation-Id", "<script>alert(1)</script>"));

        Assert.Equal("order-7781.retry_2", await GraphQLErrorIdAsync(kept));
        Assert.Matches("^[0-9a-f]{32}$", await GraphQLErrorIdAsync(replaced));
    }

    [Fact]
    public async Task Without_a_correlation_id_of_the_callers_the_id_is_the_trace_id_its_traceparent_carried()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var trace = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();

        using var response = await SendAsync(client, "{ noSuchField }", ("traceparent", $"00-{trace}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01"));

        Assert.Equal(trace, await GraphQLErrorIdAsync(response));
    }

    [Fact]
    public async Task The_log_lines_written_for_a_request_carry_the_correlation_id_it_was_answered_with()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "spin", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "while (true) {}" });
        var id = "limit-" + Guid.NewGuid().ToString("N");

        using var response = await SendAsync(client, "mutation { createProject(input: { title: \"x\" }) { userErrors { code } } }", (Header, id));

        Assert.Equal(id, HeaderOf(response));
        var logged = Assert.Single(fixture.Logs.With("CorrelationId", id));
        Assert.Contains("exceeded its", logged.Message, StringComparison.Ordinal);
        Assert.Equal(id, logged.Scope["CorrelationId"]);
    }

    /// <summary>The correlation id of the answer's first GraphQL error, having checked it is the header's.</summary>
    private static async Task<string> GraphQLErrorIdAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var id = body["errors"]![0]!["extensions"]!["correlationId"]!.GetValue<string>();
        Assert.Equal(HeaderOf(response), id);
        return id;
    }

    private static string HeaderOf(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues(Header));

    private static Task<HttpResponseMessage> SendAsync(TenantClient client, string query, (string Name, string Value) header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return client.Http.SendAsync(request);
    }
}
