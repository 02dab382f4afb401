using CrmEngine.Sdk.Testing;
using CrmEngine.Testing;

namespace CrmEngine.Sdk.Tests.Kit;

/// <summary>How the testing kit's host and client answer when things are not as a test expects.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class TestHostTests
{
    [Fact]
    public async Task A_plugin_folder_without_a_manifest_is_refused_with_directions_before_anything_starts()
    {
        var empty = Directory.CreateTempSubdirectory("crm-kit-empty").FullName;
        try
        {
            var refused = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => CrmTestHost.StartAsync(empty));

            Assert.Contains("plugin.json", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Refusals_and_errors_come_back_typed_and_disposing_the_host_deletes_its_data()
    {
        var host = await CrmTestHost.StartAsync();
        var tenant = await host.CreateTenantAsync();

        // A plugin the host doesn't have: tenant creation says why, as the API did.
        var notLoaded = await Assert.ThrowsAsync<GraphQLException>(() => host.CreateTenantAsync("no-such-plugin"));
        Assert.NotEmpty(notLoaded.Response.UserErrorCodes);
        // A mutation refused with userErrors: MutateAsync throws with them, RefusedAsync returns the first.
        const string Enable = "mutation { enablePlugin(id: \"no-such-plugin\") { userErrors { field code message } } }";
        var refused = await Assert.ThrowsAsync<GraphQLException>(() => tenant.Admin.MutateAsync(Enable));
        Assert.Equal(refused.Response.UserErrors[0], await tenant.Admin.RefusedAsync(Enable));
        // A document the schema doesn't have: errors with codes, and QueryAsync throws.
        var invalid = await tenant.Admin.PostAsync("{ noSuchField }");
        Assert.NotEmpty(invalid.ErrorCodes);
        await Assert.ThrowsAsync<GraphQLException>(() => tenant.Admin.QueryAsync("{ noSuchField }"));
        // A key with the user role only may not do what admins do.
        var user = await tenant.ClientAsync(["user"]);
        var forbidden = await user.PostAsync("mutation { enablePlugin(id: \"no-such-plugin\") { userErrors { code } } }");
        Assert.Equal(["FORBIDDEN"], forbidden.ErrorCodes.Concat(forbidden.UserErrorCodes));

        var data = host.DataDirectory;
        Assert.True(Directory.Exists(data));
        await host.DisposeAsync();
        Assert.False(Directory.Exists(data));
    }
}
