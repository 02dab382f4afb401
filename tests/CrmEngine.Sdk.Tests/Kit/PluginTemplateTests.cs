using CrmEngine.Sdk.Testing;
using CrmEngine.Testing;

namespace CrmEngine.Sdk.Tests.Kit;

/// <summary>
/// `dotnet new crm-plugin` as an ISV uses it, outside this repository: the SDK, the testing kit and
/// the templates packed into a local feed, the template installed and instantiated, the plugin built
/// against the packed SDK, loaded into a real host from its output folder and called over GraphQL.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class PluginTemplateTests : IDisposable
{
    private readonly LocalFeed _feed = new();

    public void Dispose() => _feed.Dispose();

    [Fact]
    public async Task A_plugin_made_with_dotnet_new_crm_plugin_builds_against_the_packed_sdk_loads_and_answers()
    {
        var sdk = await _feed.PackAsync("sdk/CrmEngine.Sdk");
        await _feed.PackAsync("sdk/CrmEngine.Sdk.Testing");
        var templates = await _feed.PackAsync("templates");
        var hive = Path.Combine(_feed.Root, "hive");
        await LocalFeed.DotnetAsync(_feed.Root, "new", "install", templates, "--debug:custom-hive", hive);
        var sdkVersion = Path.GetFileNameWithoutExtension(sdk)["CrmEngine.Sdk.".Length..];
        await LocalFeed.DotnetAsync(_feed.Root, "new", "crm-plugin", "-n", "Contoso.Crm.Tasks", "--prefix", "contoso", "--sdkVersion", sdkVersion, "-o", "Contoso.Crm.Tasks", "--debug:custom-hive", hive);

        var project = Path.Combine(_feed.Root, "Contoso.Crm.Tasks", "src", "Contoso.Crm.Tasks");
        await LocalFeed.DotnetAsync(project, "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");
        Assert.True(Directory.Exists(Path.Combine(_feed.Root, "packages", "crmengine.sdk", sdkVersion)), "The plugin compiled against the SDK packed here.");

        await using var host = await CrmTestHost.StartAsync(Path.Combine(project, "bin", "Release", "net10.0"));
        var tenant = await host.CreateTenantAsync("contoso-tasks");
        var added = await tenant.Admin.MutateAsync("mutation { contosoAddUrgentTask(title: \"Call the customer\") { result { title priority status } userErrors { field code message } } }");
        Assert.Equal(("Call the customer", 1, "open"), (added["result"]!["title"]!.GetValue<string>(), added["result"]!["priority"]!.GetValue<int>(), added["result"]!["status"]!.GetValue<string>()));
        // The template's hook refuses a blank title on the field, and nothing is written.
        var refusal = await tenant.Admin.RefusedAsync("mutation { contosoAddUrgentTask(title: \" \") { result { id } userErrors { field code message } } }");
        Assert.Equal("title", refusal.Field);
        var count = await tenant.Admin.QueryAsync("{ contosoTasks { totalCount } }");
        Assert.Equal(1, count["contosoTasks"]!["totalCount"]!.GetValue<int>());
    }
}
