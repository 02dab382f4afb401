using System.Text;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// JSON answers read as written: apostrophes, Chinese and other text as plain UTF-8, not \u
/// escapes, in executed results and in the transport's own errors alike. They stay JSON (quotes,
/// backslashes and control characters escaped) and are never sniffed as anything else.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ResponseEncodingTests(HostFixture fixture)
{
    private static async Task<(string Text, HttpResponseMessage Response)> PostRawAsync(TenantClient client, string body)
    {
        var response = await client.Http.PostAsync("/graphql", RawBody.Json(body));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (Encoding.UTF8.GetString(bytes), response);
    }

    [Fact]
    public async Task Messages_and_data_carry_apostrophes_and_chinese_as_plain_utf8()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        await AccountAsync(client, "O'Brien & Sons <深圳华为> \"quoted\" back\\slash", "telecom");

        var (error, response) = await PostRawAsync(client, "{\"query\": \"{ nope }\"}");
        using (response)
        {
            Assert.Contains("'nope'", error, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u0027", error, StringComparison.Ordinal);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        }

        var (data, listed) = await PostRawAsync(client, "{\"query\": \"{ accounts { nodes { name } } }\"}");
        using (listed)
        {
            Assert.Contains("O'Brien & Sons <深圳华为> \\\"quoted\\\" back\\\\slash", data, StringComparison.Ordinal);
            Assert.Equal("O'Brien & Sons <深圳华为> \"quoted\" back\\slash", System.Text.Json.Nodes.JsonNode.Parse(data)!["data"]!["accounts"]!["nodes"]![0]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_transports_own_errors_carry_apostrophes_as_written()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var (text, response) = await PostRawAsync(client, "{\"query\": 5}");
        using (response)
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'query'", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        }
    }
}
