using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// What integrators' tools ask of the API: the whole introspection of the current spec, as
/// graphql-js builds it with every option (IDEs, codegen and clients send it).
/// </summary>
[Collection(HostGroup.Name)]
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class IntegratorToolingTests(HostFixture fixture)
{
    public static string FullIntrospectionQuery { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "GraphQL", "FullIntrospection.graphql"));

    [Fact]
    public async Task The_introspection_graphql_js_sends_with_every_option_is_answered_in_full()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);

        var schema = (await client.QueryAsync(FullIntrospectionQuery))["__schema"]!;

        var directives = schema["directives"]!.AsArray();
        Assert.All(directives, d => Assert.False(d!["isRepeatable"]!.GetValue<bool>()));
        var deprecated = directives.Single(d => d!["name"]!.GetValue<string>() == "deprecated")!;
        Assert.Contains("ARGUMENT_DEFINITION", deprecated["locations"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("INPUT_FIELD_DEFINITION", deprecated["locations"]!.AsArray().Select(l => l!.GetValue<string>()));

        var types = schema["types"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!);
        Assert.True(types["String"].AsObject().ContainsKey("specifiedByURL"));
        Assert.Null(types["String"]["specifiedByURL"]);
        Assert.False(types["CreateProjectInput"]["isOneOf"]!.GetValue<bool>());
        Assert.Contains("title", types["CreateProjectInput"]["inputFields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        var projects = types["Query"]["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "projects")!;
        Assert.All(projects["args"]!.AsArray(), a => Assert.False(a!["isDeprecated"]!.GetValue<bool>()));
    }
}
