using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Schema;
using CrmEngine.PluginHost.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.PluginHost.Loading;

/// <summary>A plugin a reload changed: its version before (null when it is new) and after.</summary>
public sealed record PluginVersionChange(string Id, string? From, string To);

/// <summary>
/// Picks up new plugin versions (and new plugins) from the plugin folder without restarting the host
/// (<c>reloadPlugins</c>). Plugins whose folder and version are unchanged are kept as they are; the
/// others are loaded in load contexts of their own beside the old ones, and the whole set is swapped
/// at once. What is in flight finishes on the code it started with: a request that already holds an
/// operation, a hook run or a job run of the old version completes with it; anything that starts
/// after the swap gets the new version. Tenants are then upgraded to the new versions in the
/// background, and until a tenant's upgrade has finished the new code doesn't act for it
/// (<see cref="PluginServing"/>: PLUGIN_UPGRADING). A reload that would lose a loaded plugin (its
/// folder gone, refused, or an older version) changes nothing and says why. Old versions' assemblies
/// stay loaded until the host restarts.
/// </summary>
public sealed class PluginReloader(PluginCatalog catalog, IServiceProvider services, PluginUpgrader upgrader, ILogger<PluginReloader> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public async Task<IReadOnlyList<PluginVersionChange>> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var before = catalog.Plugins;
            var after = PluginLoading.LoadAll(catalog.Directory, before);
            var lost = before.Where(p => p.Status == PluginStatus.Loaded).Select(p => Lost(p, after)).OfType<string>().ToList();
            if (lost.Count > 0)
            {
                throw new CrmException(ErrorCodes.PluginRefused, $"The plugins were not reloaded, and the loaded ones go on: {string.Join(" ", lost)}", "plugins");
            }

            var changes = after.Where(p => p.Status == PluginStatus.Loaded && !before.Contains(p))
                .Select(p => new PluginVersionChange(p.Id, before.FirstOrDefault(b => b.Id == p.Id && b.Status == PluginStatus.Loaded)?.Manifest!.Version.ToNormalizedString(), p.Manifest!.Version.ToNormalizedString()))
                .ToList();
            if (changes.Count == 0 && after.Count(p => p.Status == PluginStatus.Refused) == before.Count(p => p.Status == PluginStatus.Refused))
            {
                return changes;
            }

            catalog.Replace(after);
            // Schemas hold the old version's operations: every tenant's is built again when next asked for.
            // (Asked for here: the schema builder's contributors include reloadPlugins itself.)
            services.GetRequiredService<TenantSchemaCache>().EvictAll();
            upgrader.RequestPass();
            foreach (var change in changes)
            {
                logger.LogInformation("Reloaded plugin {Plugin}: {From} -> {To}.", change.Id, change.From ?? "(new)", change.To);
            }

            return changes;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Why a loaded plugin would be lost by the reload, or null when it stays (same or newer version).</summary>
    private static string? Lost(LoadedPlugin loaded, IReadOnlyList<LoadedPlugin> after)
    {
        var next = after.FirstOrDefault(p => p.Id == loaded.Id);
        return next switch
        {
            null => $"Plugin '{loaded.Id}' is no longer in the plugin folder.",
            { Status: PluginStatus.Refused } => next.Error,
            _ when next.Manifest!.Version < loaded.Manifest!.Version =>
                $"Plugin '{loaded.Id}' {next.Manifest.Version.ToNormalizedString()} is older than the {loaded.Manifest.Version.ToNormalizedString()} this host runs; a reload never downgrades.",
            _ => null,
        };
    }
}
