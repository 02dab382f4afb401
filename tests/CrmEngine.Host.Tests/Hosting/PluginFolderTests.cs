using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Hosting;

/// <summary>
/// Where the host finds its plugins when an operator starts it: the host's own build output run as
/// <c>dotnet CrmEngine.Host.dll</c> from another directory, on a data directory of its own.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class PluginFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));

    public PluginFolderTests() => Directory.CreateDirectory(_root);

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Started_from_any_directory_the_host_loads_the_plugins_beside_its_binaries_and_enables_the_default_ones()
    {
        var port = ChildProcess.FreePort();
        await using var host = Start(port, new() { ["Crm__DefaultPlugins"] = "sales" });
        Assert.True(await HostProcess.AnswersAsync(host, port), $"The host did not start.\n{host.Output}\n{host.Error}");

        using var client = HostProcess.Client(port, "demo", (await File.ReadAllTextAsync(Path.Combine(Data, "demo-admin.key"))).Trim());
        var sales = (await client.QueryAsync("{ plugins { id status enabled } }"))["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "sales")!;
        Assert.Equal(("LOADED", true), (sales["status"]!.GetValue<string>(), sales["enabled"]!.GetValue<bool>()));
        Assert.DoesNotContain("warning:", host.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_folder_that_does_not_exist_is_a_warning_on_the_console_naming_it_and_the_default_plugin_it_lacks()
    {
        var missing = Path.Combine(_root, "no-such-folder");
        var port = ChildProcess.FreePort();
        await using var host = Start(port, new() { ["Crm__PluginDirectory"] = missing, ["Crm__DefaultPlugins"] = "sales" });
        Assert.True(await HostProcess.AnswersAsync(host, port), $"The host did not start.\n{host.Output}\n{host.Error}");

        var warnings = Warnings(host);
        Assert.Contains(warnings, w => w.StartsWith($"warning: The plugin folder {missing} does not exist, so no plugin is loaded.", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("warning: Crm:DefaultPlugins names 'sales', which is not loaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_plugin_folder_is_a_warning_on_the_console()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "plugins")).FullName;
        var port = ChildProcess.FreePort();
        await using var host = Start(port, new() { ["Crm__PluginDirectory"] = empty, ["Crm__DefaultPlugins"] = " " });
        Assert.True(await HostProcess.AnswersAsync(host, port), $"The host did not start.\n{host.Output}\n{host.Error}");

        var warning = Assert.Single(Warnings(host));
        Assert.StartsWith($"warning: The plugin folder {empty} holds no plugin, so none is loaded.", warning, StringComparison.Ordinal);
    }

    private static List<string> Warnings(ChildProcess host) =>
        host.Error.Split('\n', StringSplitOptions.TrimEntries).Where(line => line.StartsWith("warning:", StringComparison.Ordinal)).ToList();

    /// <summary>The host's build output started in a directory of its own (not where its binaries are), on this test's data directory.</summary>
    private ChildProcess Start(int port, Dictionary<string, string?> environment)
    {
        environment["Crm__DataDirectory"] = Data;
        environment["Crm__CreateDemoTenant"] = "true";
        environment["ASPNETCORE_URLS"] = null;
        return HostProcess.Start(HostProcess.BuildOutput, _root, ["--urls", $"http://127.0.0.1:{port}"], environment);
    }
}
