using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Loading;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// Enables and disables plugins per tenant. Enabling applies the plugin's metadata online (a metadata
/// change, so the tenant's schema gains its entities and operations) and runs its seed data once;
/// disabling hides its API and keeps its data.
/// </summary>
public sealed class PluginEnabler(
    PluginCatalog catalog,
    MetadataService metadata,
    RecordApiFactory records,
    PluginFailures failures,
    PluginUpgradeRunner upgrades,
    IOptions<Engine.CrmEngineOptions> options,
    TimeProvider time,
    ILogger<PluginEnabler> logger)
{
    public IReadOnlyList<IPluginOperation> OperationsOf(string pluginId) => catalog.Implementations<IPluginOperation>().Where(o => o.PluginId == pluginId).Select(o => o.Instance).ToList();

    public Task<MetadataSnapshot> EnableAsync(TenantStore store, string pluginId, Guid? actor, CancellationToken cancellationToken) =>
        EnableAsync(store, pluginId, actor, seedFailureRefuses: true, cancellationToken);

    // seedFailureRefuses: whether failing seed data is the caller's error (an admin enabling the
    // plugin is told), or only logged (default plugins on a new tenant: the tenant, and the host
    // starting its demo tenant, must not fail because of one plugin's sample data).
    private async Task<MetadataSnapshot> EnableAsync(TenantStore store, string pluginId, Guid? actor, bool seedFailureRefuses, CancellationToken cancellationToken)
    {
        var plugin = catalog.Find(pluginId) ?? throw new CrmException(ErrorCodes.NotFound, $"There is no plugin '{pluginId}'.", "id");
        if (plugin.Status != PluginStatus.Loaded)
        {
            throw new CrmException(ErrorCodes.PluginRefused, $"Plugin '{pluginId}' did not load: {plugin.Error}", "id");
        }

        var missing = plugin.Manifest!.Dependencies.Keys.Where(d => !store.Metadata.IsPluginEnabled(d)).ToList();
        if (missing.Count > 0)
        {
            throw new CrmException(ErrorCodes.DependencyNotEnabled, $"Plugin '{pluginId}' needs {string.Join(", ", missing)} enabled first.", "id");
        }

        // A tenant on another version of the plugin is upgraded (its data moved) rather than re-applied.
        var snapshot = store.Metadata.Plugins.FirstOrDefault(p => p.Id == pluginId) is { } enabled && enabled.Version != plugin.Manifest!.Version.ToNormalizedString()
            ? await upgrades.UpgradeAsync(store, plugin, OperationsOf(pluginId), actor, cancellationToken)
            : await metadata.ChangeAsync(store, actor, current => PluginMetadata.Enable(current, plugin, OperationsOf(pluginId), time.UtcNow()), cancellationToken);
        // Schedules first: the plugin is enabled whatever its seed data does, and its jobs must run.
        await StartSchedulesAsync(store, plugin.Id, cancellationToken);
        if (await SeedOnceAsync(store, plugin, cancellationToken) is { } failure && seedFailureRefuses)
        {
            throw failure.Refusal("id");
        }

        return snapshot;
    }

    /// <summary>
    /// Starts the plugin's job schedules on the tenant now (what the scheduler's first sighting
    /// would do), so the scheduler's sweep, which opens only tenants with a job due, sees them.
    /// </summary>
    private async Task StartSchedulesAsync(TenantStore store, string pluginId, CancellationToken cancellationToken)
    {
        var jobs = catalog.Implementations<IScheduledJob>().Where(j => j.PluginId == pluginId).Select(j => j.Instance.Name).ToList();
        if (jobs.Count == 0)
        {
            return;
        }

        await using var context = store.CreateContext();
        var started = await context.Set<PluginJobRow>().Where(r => r.PluginId == pluginId).Select(r => r.Job).ToListAsync(cancellationToken);
        foreach (var job in jobs.Except(started, StringComparer.Ordinal))
        {
            context.Set<PluginJobRow>().Add(new PluginJobRow { PluginId = pluginId, Job = job, LastDueAt = time.UtcNow() });
        }

        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The scheduler sighted them meanwhile: started either way.
        }
    }

    public async Task<MetadataSnapshot> DisableAsync(TenantStore store, string pluginId, Guid? actor, CancellationToken cancellationToken)
    {
        if (!store.Metadata.IsPluginEnabled(pluginId))
        {
            // Disabling a disabled plugin changes nothing; only an id nobody knows is an error.
            return catalog.Find(pluginId) is null ? throw new CrmException(ErrorCodes.NotFound, $"There is no plugin '{pluginId}'.", "id") : store.Metadata;
        }

        EnsureNoDependents(store, pluginId);
        return await metadata.ChangeAsync(store, actor, current => PluginMetadata.Disable(current, pluginId, time.UtcNow()), cancellationToken);
    }

    /// <summary>
    /// Uninstalls a plugin from a tenant. Without <paramref name="purgeData"/> it is disabling (data
    /// kept). Purging drops its entities, the fields it added to others and all their records, and
    /// forgets its seed and job state (enabling it again starts afresh); it needs
    /// <paramref name="confirm"/> to repeat the plugin id, or it is refused and nothing changes.
    /// </summary>
    public async Task<MetadataSnapshot> UninstallAsync(TenantStore store, string pluginId, bool purgeData, string? confirm, Guid? actor, CancellationToken cancellationToken)
    {
        if (!purgeData)
        {
            return await DisableAsync(store, pluginId, actor, cancellationToken);
        }

        var current = store.Metadata;
        var holds = current.IsPluginEnabled(pluginId) || current.Entities.Any(e => e.Source == pluginId || e.Fields.Any(f => f.Source == pluginId));
        if (!holds && catalog.Find(pluginId) is null)
        {
            throw new CrmException(ErrorCodes.NotFound, $"There is no plugin '{pluginId}'.", "id");
        }

        if (!string.Equals(confirm, pluginId, StringComparison.Ordinal))
        {
            throw new CrmException(ErrorCodes.ConfirmationRequired,
                $"Uninstalling plugin '{pluginId}' with purgeData deletes its entities and every record in them on this tenant, for good. To do it, repeat the plugin id: confirm: \"{pluginId}\".", "confirm");
        }

        if (!holds)
        {
            return current;
        }

        EnsureNoDependents(store, pluginId);
        return await metadata.ChangeAsync(store, actor, snapshot => PluginMetadata.Purge(snapshot, pluginId, context => ForgetStateAsync(context, pluginId)), cancellationToken);
    }

    private void EnsureNoDependents(TenantStore store, string pluginId)
    {
        var dependents = store.Metadata.Plugins.Where(p => catalog.Find(p.Id)?.Manifest?.Dependencies.ContainsKey(pluginId) == true).Select(p => p.Id).ToList();
        if (dependents.Count > 0)
        {
            throw new CrmException(ErrorCodes.DependencyNotEnabled, $"Plugin '{pluginId}' can't be disabled or uninstalled while {string.Join(", ", dependents)} depend on it; disable those first.", "id");
        }
    }

    private static async Task ForgetStateAsync(Engine.Storage.TenantDbContext context, string pluginId)
    {
        await context.Set<PluginStateRow>().Where(s => s.PluginId == pluginId).ExecuteDeleteAsync();
        await context.Set<PluginJobRow>().Where(j => j.PluginId == pluginId).ExecuteDeleteAsync();
    }

    /// <summary>Enables plugins given by id, dependencies before dependents.</summary>
    public async Task EnableManyAsync(TenantStore store, IEnumerable<string> pluginIds, Guid? actor, CancellationToken cancellationToken)
    {
        var wanted = pluginIds.ToHashSet(StringComparer.Ordinal);
        foreach (var plugin in catalog.Loaded.Where(p => wanted.Contains(p.Id)).OrderBy(p => DependencyDepth(p)))
        {
            await EnableAsync(store, plugin.Id, actor, seedFailureRefuses: false, cancellationToken);
        }

        foreach (var unknown in wanted.Where(id => catalog.Find(id)?.Status != PluginStatus.Loaded))
        {
            logger.LogWarning("Default plugin {Plugin} is not loaded; tenant {Tenant} starts without it.", unknown, store.TenantId);
        }
    }

    private int DependencyDepth(LoadedPlugin plugin) =>
        plugin.Manifest!.Dependencies.Keys.Select(catalog.Find).OfType<LoadedPlugin>().Select(d => DependencyDepth(d) + 1).DefaultIfEmpty(0).Max();

    /// <summary>Runs the plugin's seeds once per tenant; a failure is logged and returned (the seeds run again next time).</summary>
    private async Task<PluginFailure?> SeedOnceAsync(TenantStore store, LoadedPlugin plugin, CancellationToken cancellationToken)
    {
        var pluginSeeds = catalog.Implementations<IPluginSeed>().Where(s => s.PluginId == plugin.Id).Select(s => s.Instance).ToList();
        await using var context = store.CreateContext();
        var state = await context.Set<PluginStateRow>().AsTracking().SingleOrDefaultAsync(s => s.PluginId == plugin.Id, cancellationToken);
        if (state?.SeededAt is not null || pluginSeeds.Count == 0)
        {
            return null;
        }

        var session = new CrmSession(store, CrmPrincipal.System(store.TenantId));
        var seedContext = new SeedContext(SdkMapping.ToSdk(session.Principal), records.For(session), store.TenantId == options.Value.DemoTenantId, records.Directory(session));
        foreach (var seed in pluginSeeds)
        {
            try
            {
                await seed.SeedAsync(seedContext, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return failures.Report(plugin.Id, $"in its seed data ({seed.GetType().Name})", store.TenantId, e, "The plugin was enabled without it; enabling it again retries.");
            }
        }

        if (state is null)
        {
            context.Set<PluginStateRow>().Add(new PluginStateRow { PluginId = plugin.Id, SeededAt = time.UtcNow() });
        }
        else
        {
            state.SeededAt = time.UtcNow();
        }

        await context.SaveChangesAsync(cancellationToken);
        return null;
    }

    private sealed record SeedContext(Sdk.Identity.ICrmIdentity Identity, Sdk.Records.IRecordApi Records, bool IsDemoTenant, Sdk.Identity.ISeedDirectory Directory) : ISeedContext;
}

/// <summary>Enables the configured default plugins (Crm:DefaultPlugins) on every new tenant.</summary>
internal sealed class DefaultPluginsInitializer(PluginEnabler enabler, IOptions<Engine.CrmEngineOptions> options) : ITenantInitializer
{
    public Task InitializeAsync(TenantStore store, bool isDemoTenant, CancellationToken cancellationToken) =>
        enabler.EnableManyAsync(store, options.Value.DefaultPluginIds, null, cancellationToken);
}
