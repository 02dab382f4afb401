using System.Text.Json.Nodes;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.GraphQL;

[Collection(HostGroup.Name)]
public sealed class SchemaFollowsMetadataTests(HostFixture fixture)
{
    private const string TypeFields = "query($name: String!) { __type(name: $name) { fields { name } inputFields { name } } }";

    private static async Task<List<string>> FieldsOfAsync(TenantClient client, string type)
    {
        var data = await client.QueryAsync(TypeFields, new { name = type });
        var fields = data["__type"]?["fields"] as JsonArray ?? data["__type"]?["inputFields"] as JsonArray;
        return fields?.Select(f => f!["name"]!.GetValue<string>()).ToList() ?? [];
    }

    [Fact]
    public async Task An_added_field_appears_in_introspection_and_is_writable()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        Assert.DoesNotContain("priority", await FieldsOfAsync(client, "Project"));

        await client.MutateAsync(AddField, new { entity = "project", input = Field("priority", "INTEGER") });

        Assert.Contains("priority", await FieldsOfAsync(client, "Project"));
        Assert.Contains("priority", await FieldsOfAsync(client, "CreateProjectInput"));
        var created = await client.MutateAsync("mutation { createProject(input: { title: \"P\", priority: 3 }) { project { priority } userErrors { code } } }");
        Assert.Equal(3, created["project"]!["priority"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_removed_field_disappears_from_the_schema_and_can_not_be_written()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await client.MutateAsync("mutation { removeField(entity: \"project\", field: \"headcount\") { userErrors { code } } }");

        Assert.DoesNotContain("headcount", await FieldsOfAsync(client, "Project"));
        var response = await client.PostAsync("mutation { createProject(input: { title: \"P\", headcount: 3 }) { userErrors { code } } }");
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", response.FirstErrorCode);
        Assert.Contains("headcount", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenants_schema_is_unaffected()
    {
        using var first = await fixture.Host.NewTenantAsync();
        using var second = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(first);

        Assert.NotEmpty(await FieldsOfAsync(first, "Project"));
        Assert.Empty(await FieldsOfAsync(second, "Project"));
        var response = await second.PostAsync("{ projects { totalCount } }");
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", response.FirstErrorCode);
    }

    [Fact]
    public async Task The_schema_is_rebuilt_only_when_the_metadata_version_changes()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var cache = fixture.Host.Service<TenantSchemaCache>();
        await client.QueryAsync("{ projects { totalCount } }");
        var builds = cache.BuildCount;

        for (var i = 0; i < 5; i++)
        {
            await client.QueryAsync("{ projects { totalCount } }");
        }

        Assert.Equal(builds, cache.BuildCount);
        await client.MutateAsync(AddField, new { entity = "project", input = Field("note", "LONG_TEXT") });
        await client.QueryAsync("{ projects { totalCount } }");
        Assert.Equal(builds + 1, cache.BuildCount);
    }

    [Fact]
    public async Task The_sdl_of_the_tenant_can_be_downloaded()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        using var response = await client.Http.GetAsync("/graphql/schema.graphql");
        var sdl = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("type Project implements Node", sdl, StringComparison.Ordinal);
        Assert.Contains("createProject(\n    input: CreateProjectInput!,", sdl.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("allowDuplicates: Boolean = false): CreateProjectPayload!", sdl, StringComparison.Ordinal);
        Assert.Contains("projects(", sdl, StringComparison.Ordinal);
    }
}
