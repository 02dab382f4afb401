using System.Net;
using System.Text;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>Inputs that once reached clients as 500s are malformed requests: 400, a code, nothing ran.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
[Collection(HostGroup.Name)]
public sealed class HostileInputTests(HostFixture fixture)
{
    [Theory]
    [InlineData("{\"query\": \"{ metadataVersion }\\ud800\"}")]
    [InlineData("{\"query\": \"{ metadataVersion }\\udfff\\ud800\"}")]
    [InlineData("{\"query\": \"{ metadataVersion }\", \"operationName\": \"\\ud800\"}")]
    public async Task An_unpaired_surrogate_in_the_request_text_is_400(string body)
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await PostBytesAsync(client, Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BAD_REQUEST", response.FirstErrorCode);
        Assert.Contains("not valid text", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_inside_the_query_are_400()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var body = Encoding.UTF8.GetBytes("{\"query\": \"{ metadataVersion }  \"}");
        body[^4] = 0xC3;
        body[^3] = 0x28;
        var response = await PostBytesAsync(client, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BAD_REQUEST", response.FirstErrorCode);
    }

    [Theory]
    [InlineData("-9223372036854775809")]
    [InlineData("9223372036854775808")]
    [InlineData("-1e400")]
    [InlineData("123456789012345678901234567890")]
    public async Task An_int_variable_past_the_range_of_64_bits_is_a_request_error(string number)
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await PostBytesAsync(client, Encoding.UTF8.GetBytes(
            "{\"query\": \"query($n: Int) { metadataChanges(first: $n) { version } }\", \"variables\": {\"n\": " + number + "}}"));
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.Raw);
        Assert.NotNull(response.FirstErrorCode);
        Assert.DoesNotContain("INTERNAL_ERROR", response.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_given_twice_in_a_variables_object_is_400()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await PostBytesAsync(client, Encoding.UTF8.GetBytes(
            "{\"query\": \"query($n: Int) { metadataChanges(first: $n) { version } }\", \"variables\": {\"n\": 1, \"n\": 2}}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("appears twice", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("123456789012345678901234567890123456789")]
    [InlineData("1e99999")]
    public async Task A_json_literal_too_large_for_any_number_is_a_validation_error(string number)
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await client.PostAsync("mutation { testRule(input: { script: \"1\", record: { n: " + number + " } }) { userErrors { code } } }", accept: "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.DoesNotContain("INTERNAL_ERROR", response.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_literal_may_be_an_object_or_a_list()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await client.PostAsync("mutation { testRule(input: { script: \"1\", record: { n: 12345678901234567890, tags: [\"a\", 1.5, null] } }) { userErrors { code } } }");
        Assert.True(response.Errors is null, response.Raw);
    }

    private static async Task<GraphQLResponse> PostBytesAsync(TenantClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var response = await client.Http.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }
}
