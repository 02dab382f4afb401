using CrmEngine.Sdk;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Rules;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CrmEngine.PluginHost.Tenants;
using Scrutor;

namespace CrmEngine.PluginHost.Loading;

/// <summary>
/// Finds the plugin folders, checks their manifests, SDK ranges and dependencies, and loads the
/// good ones in dependency order, each in its own load context that shares only the SDK and the
/// Microsoft.Extensions abstractions with the host. A plugin that fails any step is refused with a
/// reason; the others load regardless.
/// </summary>
public static class PluginLoading
{
    /// <summary>The SDK contracts the host looks for in plugin assemblies.</summary>
    public static readonly Type[] Contracts =
    [
        typeof(IRecordValidator), typeof(IBeforeRecordHook), typeof(IAfterRecordHook), typeof(IPluginOperation),
        typeof(IScheduledJob), typeof(IPluginSeed), typeof(IRuleFunction), typeof(IPublicEndpoint), typeof(IPluginUpgrade), typeof(IInboundMailHandler),
    ];

    /// <summary>Types whose assemblies plugins share with the host, so both see the same types.</summary>
    private static readonly Type[] SharedTypes = [typeof(ICrmPlugin), typeof(IServiceCollection), typeof(ILogger)];

    /// <summary>
    /// Loads the plugin folders in <paramref name="directory"/>. A plugin <paramref name="earlier"/>
    /// loaded from the same folder at the same version is kept as it is (its assembly and services):
    /// a reload loads only what changed.
    /// </summary>
    public static IReadOnlyList<LoadedPlugin> LoadAll(string directory, IReadOnlyList<LoadedPlugin>? earlier = null)
    {
        var plugins = Discover(directory);
        foreach (var plugin in plugins.Where(p => p.Status == PluginStatus.Loaded && SdkProblem(p.Manifest!) is not null))
        {
            plugin.Refuse(SdkProblem(plugin.Manifest!)!);
        }

        foreach (var plugin in InDependencyOrder(plugins))
        {
            if (plugin.Status != PluginStatus.Loaded)
            {
                continue;
            }

            if (earlier?.FirstOrDefault(e => e.Status == PluginStatus.Loaded && e.Id == plugin.Id && e.Folder == plugin.Folder && e.Manifest!.Version == plugin.Manifest!.Version) is { } same
                && DependencyProblem(plugin, plugins, []) is null)
            {
                plugins[plugins.IndexOf(plugin)] = same;
                continue;
            }

            Load(plugin, plugins);
        }

        return plugins;
    }

    /// <summary>
    /// Why this host's SDK can't run the plugin, or null when it can: the SDK runs plugins built for
    /// any version from <see cref="SdkInfo.OldestCompatibleVersion"/> to <see cref="SdkInfo.Version"/>
    /// (each only added to the one before), so the manifest's range must include one of them.
    /// </summary>
    public static string? SdkProblem(PluginManifest manifest)
    {
        var (oldest, current) = (PluginVersion.Parse(SdkInfo.OldestCompatibleVersion), PluginVersion.Parse(SdkInfo.Version));
        return manifest.Sdk.IncludesAnyBetween(oldest, current)
            ? null
            : $"Plugin '{manifest.Id}' needs SDK {manifest.Sdk}, but this host has SDK {current.ToNormalizedString()}, which runs plugins built for SDK {oldest.ToNormalizedString()} to {current.ToNormalizedString()}.";
    }

    private static List<LoadedPlugin> Discover(string directory)
    {
        var plugins = new List<LoadedPlugin>();
        if (!Directory.Exists(directory))
        {
            return plugins;
        }

        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            var manifestPath = Path.Combine(folder, PluginManifest.FileName);
            if (!File.Exists(manifestPath))
            {
                plugins.Add(new LoadedPlugin(folder, null, name).Refuse($"Folder '{name}' has no {PluginManifest.FileName}."));
                continue;
            }

            var (manifest, error) = PluginManifest.Read(manifestPath);
            var plugin = new LoadedPlugin(folder, manifest, name);
            if (manifest is null)
            {
                plugin.Refuse($"Folder '{name}': {error}");
            }
            else if (plugins.Any(p => p.Id == manifest.Id && p.Status == PluginStatus.Loaded))
            {
                plugin.Refuse($"Folder '{name}' holds plugin '{manifest.Id}', which another folder already provides.");
            }

            plugins.Add(plugin);
        }

        return plugins;
    }

    /// <summary>Dependencies first; plugins whose dependencies are missing, refused, out of range or circular are refused.</summary>
    private static List<LoadedPlugin> InDependencyOrder(List<LoadedPlugin> plugins)
    {
        var ordered = new List<LoadedPlugin>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = plugins.Where(p => p.Status == PluginStatus.Loaded).ToList();
        while (pending.Count > 0)
        {
            var progress = false;
            foreach (var plugin in pending.ToList())
            {
                var problem = DependencyProblem(plugin, plugins, placed);
                if (problem is null && plugin.Manifest!.Dependencies.Keys.All(placed.Contains))
                {
                    ordered.Add(plugin);
                    placed.Add(plugin.Id);
                    pending.Remove(plugin);
                    progress = true;
                }
                else if (problem is not null)
                {
                    plugin.Refuse(problem);
                    pending.Remove(plugin);
                    progress = true;
                }
            }

            if (!progress)
            {
                foreach (var plugin in pending)
                {
                    plugin.Refuse($"Plugin '{plugin.Id}' is part of a dependency cycle: {string.Join(", ", pending.Select(p => p.Id))}.");
                }

                break;
            }
        }

        return ordered;
    }

    private static string? DependencyProblem(LoadedPlugin plugin, List<LoadedPlugin> plugins, HashSet<string> placed)
    {
        foreach (var (id, range) in plugin.Manifest!.Dependencies)
        {
            var dependency = plugins.FirstOrDefault(p => p.Id == id && p.Manifest is not null);
            if (dependency is null)
            {
                return $"Plugin '{plugin.Id}' depends on '{id}' {range}, which is not installed.";
            }

            if (!range.Includes(dependency.Manifest!.Version))
            {
                return $"Plugin '{plugin.Id}' needs '{id}' {range}, but version {dependency.Manifest.Version.ToNormalizedString()} is installed.";
            }

            if (dependency.Status == PluginStatus.Refused)
            {
                return $"Plugin '{plugin.Id}' depends on '{id}', which was refused: {dependency.Error}";
            }
        }

        return null;
    }

    private static void Load(LoadedPlugin plugin, List<LoadedPlugin> all)
    {
        if (DependencyProblem(plugin, all, []) is { } problem)
        {
            plugin.Refuse(problem);
            return;
        }

        var manifest = plugin.Manifest!;
        var assemblyPath = Path.Combine(plugin.Folder, manifest.Assembly);
        if (!File.Exists(assemblyPath))
        {
            plugin.Refuse($"Plugin '{plugin.Id}': its assembly {manifest.Assembly} is not in {plugin.Folder}.");
            return;
        }

        try
        {
            // In memory: a reload may load a new version from the same folder while the old one still runs.
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config =>
            {
                config.PreferSharedTypes = false;
                config.LoadInMemory = true;
            });
            var assembly = loader.LoadDefaultAssembly();
            var entries = assembly.GetExportedTypes().Where(t => typeof(ICrmPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).ToList();
            if (entries.Count != 1)
            {
                plugin.Refuse($"Plugin '{plugin.Id}': {manifest.Assembly} must have exactly one public class implementing ICrmPlugin; it has {entries.Count}.");
                return;
            }

            var entry = (ICrmPlugin)Activator.CreateInstance(entries[0])!;
            var builder = new PluginBuilder(plugin.Id);
            entry.Configure(builder);
            if (builder.Extensions.Select(e => e.Name).FirstOrDefault(name => !ExtensionTargetIsDependency(name, plugin, all)) is { } stray)
            {
                plugin.Refuse($"Plugin '{plugin.Id}' extends entity '{stray}', which none of its declared dependencies declares.");
                return;
            }

            if (Settings.SettingValues.Check(plugin.Id, builder.Settings) is { } badSetting)
            {
                plugin.Refuse(badSetting);
                return;
            }

            if (EntityNameClash(plugin, builder.Entities, all) is { } clash)
            {
                plugin.Refuse(clash);
                return;
            }

            // Registered into a scratch collection first, so a plugin that fails half-way leaves nothing behind.
            var own = new ServiceCollection();
            entry.ConfigureServices(own);
            own.Scan(scan => scan.FromAssemblies(assembly)
                .AddClasses(classes => classes.AssignableToAny(Contracts), publicOnly: false)
                .UsingRegistrationStrategy(RegistrationStrategy.Throw)
                .AsSelf()
                .WithSingletonLifetime());
            foreach (var implementation in own.Where(d => d.ServiceType.Assembly == assembly && Contracts.Any(c => c.IsAssignableFrom(d.ServiceType))).Select(d => d.ServiceType).ToList())
            {
                plugin.ContributedTypes.Add(implementation);
                foreach (var contract in Contracts.Where(c => c.IsAssignableFrom(implementation)))
                {
                    own.AddSingleton(contract, sp => sp.GetRequiredService(implementation));
                }
            }

            foreach (var descriptor in own)
            {
                plugin.OwnServices.Add(descriptor);
            }

            plugin.Assembly = assembly;
            plugin.Entities.AddRange(builder.Entities);
            plugin.Extensions.AddRange(builder.Extensions);
            plugin.Settings.AddRange(builder.Settings);
            plugin.ApprovalProcesses.AddRange(builder.ApprovalProcesses);
        }
        catch (Exception e)
        {
            plugin.Refuse($"Plugin '{plugin.Id}' failed to load: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Entity names are reserved to the plugin that loaded first with them: a later plugin declaring one (or one whose API names meet) is refused, naming the owner.</summary>
    private static string? EntityNameClash(LoadedPlugin plugin, List<EntityDeclaration> entities, List<LoadedPlugin> all)
    {
        var owners = all.Where(p => p != plugin && p.Status == PluginStatus.Loaded && p.Assembly is not null)
            .SelectMany(p => p.Entities.SelectMany(e => PluginNameReservations.ApiNamesOf(e, p.Id).Select(name => (Name: name, Entity: e.Name, Owner: p.Id))))
            .ToLookup(x => x.Name, StringComparer.Ordinal);
        foreach (var entity in entities)
        {
            if (PluginNameReservations.ApiNamesOf(entity, plugin.Id).SelectMany(name => owners[name]).FirstOrDefault() is { Owner: not null } owned)
            {
                return $"Plugin '{plugin.Id}' declares entity '{entity.Name}', which clashes with entity '{owned.Entity}' of plugin '{owned.Owner}': entity and operation names are reserved to the plugin that declares them. Give yours a vendor prefix (such as 'acmeTask').";
            }
        }

        return null;
    }

    private static bool ExtensionTargetIsDependency(string entity, LoadedPlugin plugin, List<LoadedPlugin> all) =>
        plugin.Manifest!.Dependencies.Keys.Any(d => all.FirstOrDefault(p => p.Id == d)?.Entities.Any(e => e.Name == entity) == true);

    private sealed class PluginBuilder(string pluginId) : IPluginBuilder
    {
        private readonly Dictionary<string, List<Action<EntityBuilder>>> _extensionSteps = new(StringComparer.Ordinal);

        public string PluginId { get; } = pluginId;

        public List<EntityDeclaration> Entities { get; } = [];

        public List<EntityDeclaration> Extensions { get; } = [];

        public IPluginBuilder Entity(string name, Action<EntityBuilder> configure) => Add(Entities, name, configure);

        public List<Sdk.Settings.SettingDeclaration> Settings { get; } = [];

        /// <summary>
        /// Each call adds fields: a second call for the same entity is built together with the first
        /// (it used to replace it, silently dropping the first call's fields).
        /// </summary>
        public IPluginBuilder ExtendEntity(string name, Action<EntityBuilder> configure)
        {
            if (!_extensionSteps.TryGetValue(name, out var steps))
            {
                _extensionSteps[name] = steps = [];
            }

            steps.Add(configure);
            Extensions.RemoveAll(e => e.Name == name);
            return Add(Extensions, name, builder => steps.ForEach(step => step(builder)));
        }

        public IPluginBuilder Setting(string name, Sdk.Settings.SettingType type, Action<Sdk.Settings.SettingBuilder> configure)
        {
            var builder = new Sdk.Settings.SettingBuilder(name, type);
            configure(builder);
            Settings.Add(builder.Build());
            return this;
        }

        public List<Sdk.Approvals.ApprovalProcessDeclaration> ApprovalProcesses { get; } = [];

        public IPluginBuilder ApprovalProcess(string name, string entity, Action<Sdk.Approvals.ApprovalProcessBuilder> configure)
        {
            var builder = new Sdk.Approvals.ApprovalProcessBuilder(name, entity);
            configure(builder);
            ApprovalProcesses.Add(builder.Build());
            return this;
        }

        private PluginBuilder Add(List<EntityDeclaration> list, string name, Action<EntityBuilder> configure)
        {
            var builder = new EntityBuilder(name);
            configure(builder);
            list.Add(builder.Build());
            return this;
        }
    }
}
