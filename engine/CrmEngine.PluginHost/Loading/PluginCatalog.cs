namespace CrmEngine.PluginHost.Loading;

/// <summary>Every plugin folder the host found at start-up, loaded or refused, and which types came from which plugin.</summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<Type, string> _pluginOfType = [];

    public PluginCatalog(string directory, IReadOnlyList<LoadedPlugin> plugins)
    {
        Directory = directory;
        Plugins = plugins;
        foreach (var plugin in plugins.Where(p => p.Status == PluginStatus.Loaded))
        {
            foreach (var type in plugin.ContributedTypes)
            {
                _pluginOfType[type] = plugin.Id;
            }
        }
    }

    public string Directory { get; }

    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    public IEnumerable<LoadedPlugin> Loaded => Plugins.Where(p => p.Status == PluginStatus.Loaded);

    public LoadedPlugin? Find(string id) => Plugins.FirstOrDefault(p => p.Id == id);

    /// <summary>The id of the plugin an implementation type came from; null for the host's own types.</summary>
    public string? PluginOf(Type type) => _pluginOfType.GetValueOrDefault(type);
}
