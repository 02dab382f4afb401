using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// A host whose plugin folder holds the test plugins built with this project (testplugins/) plus
/// folders made here that the host must refuse: a bad manifest, a missing dependency, SDK ranges
/// this host doesn't meet (a later SDK than it has), an engine error code declared as the plugin's
/// own, a missing assembly, and copies of two test plugins under other ids whose names clash with
/// the originals'.
/// </summary>
public sealed class PluginHostFixture : IDisposable
{
    public PluginHostFixture()
    {
        PluginDirectory = PluginFolders.NewTemporary("crm-plugin-tests");
        var built = PluginFolders.Built;
        // Version 2 of notes is for the upgrade tests' own folders: a folder holds one version of a plugin.
        foreach (var plugin in Directory.GetDirectories(built).Where(p => Path.GetFileName(p) != "TestPlugins.NotesV2"))
        {
            PluginFolders.Copy(plugin, Path.Combine(PluginDirectory, Path.GetFileName(plugin)));
        }

        var json = Path.Combine(built, "TestPlugins.JsonNew");
        Write("bad-manifest", json, "{ \"id\": \"bad-manifest\", \"version\": ");
        Write("missing-dependency", json, Manifest("missing-dependency", "^0.1", "\"dependencies\": { \"nope\": \"^1.0\" }"));
        Write("future-sdk", json, Manifest("future-sdk", ">=9.0.0"));
        Write("next-sdk", json, Manifest("next-sdk", "^0.4"));
        Write("major-sdk", json, Manifest("major-sdk", "^1.0"));
        Write("claims-rejected", json, Manifest("claims-rejected", "^0.2", "\"errorCodes\": { \"REJECTED\": \"Ours now.\" }"));
        // Names are reserved to the plugin that loaded first with them: a second copy of tasks
        // declares its entities again (refused at load); one of json-new adds its query again (refused at enable).
        Write("tasks-twin", Path.Combine(built, "TestPlugins.Tasks"), "{ \"id\": \"tasks-twin\", \"version\": \"1.0.0\", \"assembly\": \"TestPlugins.Tasks.dll\", \"sdk\": \"^0.1\" }");
        Write("json-twin", json, Manifest("json-twin", "^0.1"));
        Directory.CreateDirectory(Path.Combine(PluginDirectory, "no-assembly"));
        File.WriteAllText(Path.Combine(PluginDirectory, "no-assembly", "plugin.json"), Manifest("no-assembly", "^0.1").Replace("TestPlugins.JsonNew.dll", "Missing.dll", StringComparison.Ordinal));

        Host = new CrmHost(settings: new Dictionary<string, string?> { ["Crm:PluginDirectory"] = PluginDirectory, ["Crm:JobsEnabled"] = "false" })
        {
            ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(Logs),
        };
    }

    public string PluginDirectory { get; }

    /// <summary>What the host logs (warnings and above).</summary>
    public LogCapture Logs { get; } = new();

    public CrmHost Host { get; }

    public async Task<TenantClient> TenantWithAsync(params string[] plugins)
    {
        var client = await Host.NewTenantAsync();
        foreach (var plugin in plugins)
        {
            await client.MutateAsync("mutation($id: String!) { enablePlugin(id: $id) { userErrors { code message } } }", new { id = plugin });
        }

        return client;
    }

    public void Dispose()
    {
        Host.Dispose();
        PluginFolders.TryDelete(PluginDirectory);
    }

    private static string Manifest(string id, string sdk, string? extra = null) =>
        $"{{ \"id\": \"{id}\", \"version\": \"1.0.0\", \"assembly\": \"TestPlugins.JsonNew.dll\", \"sdk\": \"{sdk}\"{(extra is null ? string.Empty : ", " + extra)} }}";

    private void Write(string folder, string assemblyFolder, string manifest)
    {
        var target = Path.Combine(PluginDirectory, folder);
        PluginFolders.Copy(assemblyFolder, target);
        File.WriteAllText(Path.Combine(target, "plugin.json"), manifest);
    }
}

[CollectionDefinition(Name)]
public sealed class PluginHostGroup : ICollectionFixture<PluginHostFixture>
{
    public const string Name = "plugin host";
}
