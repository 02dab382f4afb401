using System.Net;
using System.Net.Http.Headers;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using GraphQL.Resolvers;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>GraphQL over HTTP per the GraphQL-over-HTTP spec: methods, media types, status codes.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
[Collection(HostGroup.Name)]
public sealed class TransportTests(HostFixture fixture)
{
    [Fact]
    public async Task A_query_can_be_sent_with_get()
    {
        using var client = await fixture.Host.NewTenantAsync();
        using var response = await client.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("query Q($n: Int) { metadataVersion metadataChanges(first: $n) { version } }") + "&operationName=Q&variables=" + Uri.EscapeDataString("{\"n\": 1}"));
        var body = await GraphQLResponse.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, body.Status);
        Assert.Equal(0, body.Data!["metadataVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_mutation_sent_with_get_is_405_and_not_executed()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var mutation = "mutation { removeEntity(name: \"x\") { userErrors { code } } }";
        using var response = await client.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString(mutation));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var client = await fixture.Host.NewTenantAsync();
        using var response = await client.Http.PostAsync("/graphql", new StringContent("{ metadataVersion }", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Request_errors_are_400_for_graphql_response_json_clients_and_200_for_json_clients()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var modern = await client.PostAsync("{ nope }", accept: "application/graphql-response+json");
        Assert.Equal((HttpStatusCode.BadRequest, "application/graphql-response+json"), (modern.Status, modern.MediaType));

        var legacy = await client.PostAsync("{ nope }", accept: "application/json");
        Assert.Equal((HttpStatusCode.OK, "application/json"), (legacy.Status, legacy.MediaType));

        var ok = await client.PostAsync("{ metadataVersion }", accept: "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }

    [Fact]
    public async Task A_client_that_accepts_neither_json_type_gets_406()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await client.PostAsync("{ metadataVersion }", accept: "application/xml");
        Assert.Equal(HttpStatusCode.NotAcceptable, response.Status);
    }

    [Theory]
    [InlineData("{}", "needs a 'query' string")]
    [InlineData("{\"query\": 5}", "needs a 'query' string")]
    [InlineData("[]", "The batch is empty")]
    [InlineData("[{\"query\": \"{ metadataVersion }\"}, 5]", "must be a JSON object")]
    [InlineData("{\"query\": \"{ metadataVersion }\", \"variables\": [1]}", "'variables' must be a JSON object")]
    public async Task Malformed_request_bodies_are_400_with_a_clear_message(string body, string message)
    {
        using var client = await fixture.Host.NewTenantAsync();
        using var response = await client.Http.PostAsync("/graphql", RawBody.Json(body));
        var parsed = await GraphQLResponse.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, parsed.Status);
        Assert.Contains(message, parsed.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_names_where_it_is()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await client.PostAsync("{ metadataVersion ");
        Assert.Equal("SYNTAX_ERROR", response.FirstErrorCode);
        Assert.NotNull(response.Errors![0]!["locations"]);
    }

    [Fact]
    public async Task A_missing_key_is_401_with_www_authenticate()
    {
        using var anonymous = fixture.Host.Client("none", null);
        using var response = await anonymous.Http.PostAsync("/graphql", RawBody.Json("{\"query\": \"{ metadataVersion }\"}"));
        var body = await GraphQLResponse.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, body.Status);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("UNAUTHENTICATED", body.FirstErrorCode);
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_401()
    {
        using var client = fixture.Host.Client("none", null);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        var response = await client.PostAsync("{ metadataVersion }");
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task A_request_refused_before_its_body_is_read_closes_its_connection_and_others_keep_theirs()
    {
        using var client = await fixture.Host.NewTenantAsync();
        using var anonymous = fixture.Host.Client(client.TenantId, "crm_aaaaaaaaaaaaaaaa_" + new string('x', 43));
        using var refused = await anonymous.Http.PostAsync("/graphql", RawBody.Json("{\"query\": \"{ metadataVersion }\"}"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(refused.Headers.ConnectionClose, "a refused upload's connection is closed rather than drained");

        using var served = await client.Http.PostAsync("/graphql", RawBody.Json("{\"query\": \"{ metadataVersion }\"}"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.NotEqual(true, served.Headers.ConnectionClose);
    }

    [Fact]
    public async Task Browsers_get_graphiql()
    {
        using var anonymous = fixture.Host.Client("none", null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await anonymous.Http.SendAsync(request);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("GraphiQL", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chinese_text_is_returned_as_is()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        await client.MutateAsync("mutation { createAccount(input: { name: \"华为\" }) { userErrors { code } } }");
        using var response = await client.Http.PostAsync("/graphql", RawBody.Json("{\"query\": \"{ accounts { nodes { name } } }\"}"));
        Assert.Contains("华为", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_server_error_is_reported_without_its_details()
    {
        using var host = new CrmHost { ConfigureTestServices = s => s.AddSingleton<ISchemaContributor, ExplodingContributor>() };
        using var client = await host.NewTenantAsync();
        var response = await client.PostAsync("{ explode }");

        Assert.Equal("INTERNAL_ERROR", response.FirstErrorCode);
        Assert.DoesNotContain("secret", response.Raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", response.Raw, StringComparison.Ordinal);
    }

    private sealed class ExplodingContributor : ISchemaContributor
    {
        public int Order => 100;

        public void Contribute(SchemaBuildContext context) => context.Query.AddField(new FieldType
        {
            Name = "explode",
            ResolvedType = new StringGraphType(),
            Resolver = new FuncFieldResolver<object?>(_ => throw new InvalidOperationException("secret connection string")),
        });
    }
}
