using System.Net;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>Crm:Endpoint:Introspection=false, as production deployments often set it.</summary>
public sealed class IntrospectionSwitchTests(IntrospectionSwitchTests.Fixture fixture) : IClassFixture<IntrospectionSwitchTests.Fixture>
{
    private readonly CrmHost _host = fixture.Host;

    public sealed class Fixture() : SharedHostFixture(new Dictionary<string, string?> { ["Crm:Endpoint:Introspection"] = "false" });

    [Theory]
    [InlineData("{ __schema { types { name } } }")]
    [InlineData("{ __type(name: \"Query\") { fields { name } } }")]
    [InlineData("{ metadataVersion ... on Query { __schema { queryType { name } } } }")]
    public async Task Introspection_queries_are_refused_when_it_is_switched_off(string query)
    {
        using var client = await _host.NewTenantAsync();
        var response = await client.PostAsync(query, accept: "application/graphql-response+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("INTROSPECTION_DISABLED", response.FirstErrorCode);
    }

    [Fact]
    public async Task Typename_and_ordinary_queries_still_work_and_the_schema_download_is_refused()
    {
        using var client = await _host.NewTenantAsync();
        var data = await client.QueryAsync("{ __typename metadataVersion }");
        Assert.Equal("Query", data["__typename"]!.GetValue<string>());

        using var sdl = await client.Http.GetAsync("/graphql/schema.graphql");
        Assert.Equal(HttpStatusCode.Forbidden, sdl.StatusCode);
        Assert.Equal("INTROSPECTION_DISABLED", (await GraphQLResponse.ReadAsync(sdl)).FirstErrorCode);
    }
}
