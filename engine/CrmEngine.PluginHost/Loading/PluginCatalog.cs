using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.PluginHost.Loading;

/// <summary>
/// The plugins this host runs: every plugin folder it found, loaded or refused, which types came from
/// which plugin, and the plugins' services. A reload (<see cref="PluginReloader"/>) replaces the whole
/// set at once; each call here sees one set whole, and what was derived from a set (hooks, jobs,
/// routes) is cached with it (<see cref="Derived{T}"/>), so a reload replaces that too.
/// </summary>
public sealed class PluginCatalog
{
    private Generation _current;
    private PluginServices? _services;

    public PluginCatalog(string directory, IReadOnlyList<LoadedPlugin> plugins)
    {
        Directory = directory;
        _current = new Generation(plugins, 1);
    }

    public string Directory { get; }

    /// <summary>Grows by one with every reload that changed the set.</summary>
    public int GenerationNumber => Volatile.Read(ref _current).Number;

    public IReadOnlyList<LoadedPlugin> Plugins => Volatile.Read(ref _current).Plugins;

    public IEnumerable<LoadedPlugin> Loaded => Plugins.Where(p => p.Status == PluginStatus.Loaded);

    public LoadedPlugin? Find(string id) => Volatile.Read(ref _current).ById.GetValueOrDefault(id);

    /// <summary>The id of the plugin an implementation type came from; null for the host's own types.</summary>
    public string? PluginOf(Type type) => Volatile.Read(ref _current).PluginOfType.GetValueOrDefault(type);

    /// <summary>The instances of an SDK contract the loaded plugins implement, with the plugin each came from.</summary>
    public IReadOnlyList<(T Instance, string PluginId)> Implementations<T>() where T : class =>
        Derived(typeof(T), generation => generation.Plugins
            .Where(p => p.Status == PluginStatus.Loaded)
            .SelectMany(p => p.ContributedTypes.Where(typeof(T).IsAssignableFrom).Select(type => ((T)Services.Of(p).GetRequiredService(type), p.Id)))
            .ToList());

    /// <summary>The instances of an SDK contract the loaded plugins implement.</summary>
    public IReadOnlyList<T> Instances<T>() where T : class => Derived((typeof(T), "instances"), _ => Implementations<T>().Select(i => i.Instance).ToList());

    /// <summary>
    /// Something computed from the current set of plugins, computed once per set: hooks, jobs and
    /// routes follow a reload without their owners keeping track of it.
    /// </summary>
    public T Derived<T>(object key, Func<PluginCatalog, T> compute) where T : class
    {
        var generation = Volatile.Read(ref _current);
        return (T)generation.Derived.GetOrAdd(key, _ => compute(this));
    }

    /// <summary>Gives the catalog what the plugins' own containers forward to: the host's services.</summary>
    internal void Attach(PluginServices services) => _services ??= services;

    internal PluginServices Services => _services ?? throw new InvalidOperationException("The plugin catalog was used before the host's services were built.");

    /// <summary>Replaces the set of plugins; calls that began before go on with the set they saw.</summary>
    internal void Replace(IReadOnlyList<LoadedPlugin> plugins)
    {
        var next = new Generation(plugins, _current.Number + 1);
        Volatile.Write(ref _current, next);
    }

    private sealed class Generation
    {
        public Generation(IReadOnlyList<LoadedPlugin> plugins, int number)
        {
            Plugins = plugins;
            Number = number;
            foreach (var plugin in plugins)
            {
                ById.TryAdd(plugin.Id, plugin);
                if (plugin.Status == PluginStatus.Loaded)
                {
                    foreach (var type in plugin.ContributedTypes)
                    {
                        PluginOfType[type] = plugin.Id;
                    }
                }
            }
        }

        public IReadOnlyList<LoadedPlugin> Plugins { get; }

        public int Number { get; }

        public Dictionary<string, LoadedPlugin> ById { get; } = new(StringComparer.Ordinal);

        public Dictionary<Type, string> PluginOfType { get; } = [];

        public ConcurrentDictionary<object, object> Derived { get; } = new();
    }
}
