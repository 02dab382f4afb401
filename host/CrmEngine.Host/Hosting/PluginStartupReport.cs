using CrmEngine.PluginHost.Loading;

namespace CrmEngine.Host.Hosting;

/// <summary>
/// What the host says at start-up about its plugins: each one loaded or refused in the log, and
/// what an operator must not miss (a plugin folder that isn't there or holds no plugin, a default
/// plugin that didn't load) also as a plain warning line on the console, since a log may go to a
/// file or a collector nobody reads while starting the host.
/// </summary>
internal static class PluginStartupReport
{
    public static void Write(PluginCatalog plugins, IEnumerable<string> defaultPlugins, ILogger logger, TextWriter console)
    {
        logger.LogInformation("Plugin directory: {PluginDirectory} ({Count} plugin(s))", plugins.Directory, plugins.Plugins.Count);
        foreach (var plugin in plugins.Plugins)
        {
            if (plugin.Status == PluginStatus.Loaded)
            {
                logger.LogInformation("Plugin {Plugin} {Version} loaded.", plugin.Id, plugin.Manifest!.Version.ToNormalizedString());
            }
            else
            {
                logger.LogError("Plugin {Plugin} refused: {Reason}", plugin.Id, plugin.Error);
            }
        }

        foreach (var warning in Warnings(plugins, defaultPlugins))
        {
            logger.LogWarning("{Warning}", warning);
            console.WriteLine("warning: " + warning);
        }
    }

    /// <summary>The problems an operator starting the host must see, one sentence each.</summary>
    public static IEnumerable<string> Warnings(PluginCatalog plugins, IEnumerable<string> defaultPlugins)
    {
        const string Fix = "Set Crm:PluginDirectory (or Crm__PluginDirectory) to the folder that holds the plugin folders; relative paths start at the host's binaries.";
        if (!Directory.Exists(plugins.Directory))
        {
            yield return $"The plugin folder {plugins.Directory} does not exist, so no plugin is loaded. {Fix}";
        }
        else if (plugins.Plugins.Count == 0)
        {
            yield return $"The plugin folder {plugins.Directory} holds no plugin, so none is loaded. {Fix}";
        }
        else if (!plugins.Loaded.Any())
        {
            yield return $"None of the {plugins.Plugins.Count} plugin folder(s) in {plugins.Directory} loaded; the log says why for each.";
        }

        foreach (var id in defaultPlugins.Where(id => plugins.Find(id)?.Status != PluginStatus.Loaded))
        {
            yield return $"Crm:DefaultPlugins names '{id}', which is not loaded from {plugins.Directory}; new tenants start without it.";
        }
    }
}
