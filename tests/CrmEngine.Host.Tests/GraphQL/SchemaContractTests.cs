using System.Net;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// The schema integrators build against is a contract reviewed as a diff, like the SDK's public API:
/// the SDL a fresh tenant with the sales plugin serves at /graphql/schema.graphql is kept approved in
/// SalesTenant.approved.graphql; a change to it fails here until it is approved (docs/contract.md).
/// </summary>
[Collection(ModuleHostGroup.Name)]
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class SchemaContractTests(ModuleHostFixture fixture)
{
    public const string ApprovedPath = "tests/CrmEngine.Host.Tests/GraphQL/SalesTenant.approved.graphql";

    [Fact]
    public async Task The_sdl_of_a_fresh_tenant_with_the_sales_plugin_is_the_approved_one()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"sales\") { userErrors { code message } } }");
        using var response = await client.Http.GetAsync("/graphql/schema.graphql");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        ApprovedFile.Verify(ApprovedPath, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_difference_is_shown_as_the_changed_lines_in_their_context()
    {
        var diff = ApprovedFile.Diff("type A {\n  id: ID!\n  name: String\n  size: Int\n}\n", "type A {\n  id: ID!\n  name: String!\n  size: Int\n}\n");

        Assert.Equal("@@ line 3 @@\n  type A {\n    id: ID!\n-   name: String\n+   name: String!\n    size: Int\n  }\n  \n", diff);
    }
}
