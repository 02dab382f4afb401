using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Loading;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// Upgrades a tenant from the plugin version it enabled to the installed one, once, under a lease
/// per tenant and plugin (hosts starting together take turns; the second finds it done): the new
/// version's metadata is added with the old fields kept, the plugin's <see cref="IPluginUpgrade"/>s
/// move the data (resuming from their checkpoints), then the old fields and entities are retired and
/// the tenant records the new version. While it runs, and after it stopped half-way, the tenant's
/// metadata records the version it is upgrading to, and no host's plugin code acts for the tenant
/// but the upgrade (<see cref="PluginServing"/>): the next start, or enablePlugin, resumes it.
/// </summary>
public sealed class PluginUpgradeRunner(
    MetadataService metadata,
    IWorkLeases leases,
    TenantRegistry registry,
    PluginCatalog catalog,
    RecordApiFactory records,
    PluginFailures failures,
    TimeProvider time)
{
    public async Task<MetadataSnapshot> UpgradeAsync(TenantStore store, LoadedPlugin plugin, IReadOnlyList<IPluginOperation> operations, Guid? actor, CancellationToken cancellationToken)
    {
        var to = plugin.Manifest!.Version;
        await using var lease = await leases.AcquireAsync($"plugin-upgrade/{store.TenantId}/{plugin.Id}", cancellationToken);
        // Another host may have upgraded the tenant while this one waited: start from the store.
        await registry.ReloadAsync(store, cancellationToken);
        if (store.Metadata.Plugins.FirstOrDefault(p => p.Id == plugin.Id) is not { } enabled || enabled.Version == to.ToNormalizedString())
        {
            return store.Metadata;
        }

        if (PluginVersion.TryParse(enabled.Version, out var from) && from > to)
        {
            throw new CrmException(ErrorCodes.PluginRefused,
                $"This tenant has plugin '{plugin.Id}' {enabled.Version}, newer than the {to.ToNormalizedString()} this host runs; upgrade the host's plugin folder.", "id");
        }

        if (enabled.UpgradingTo is { } target && target != to.ToNormalizedString())
        {
            // Another version's upgrade stopped half-way: only that version knows how to finish it.
            throw new CrmException(ErrorCodes.PluginUpgrading,
                $"This tenant's upgrade of plugin '{plugin.Id}' from {enabled.Version} to {target} has not finished; only a host with {target} can finish it, before any other version runs.", "id");
        }

        // Only this flow acts for the plugin on the tenant until the upgrade has finished (PluginServing).
        using var upgrading = PluginServing.Upgrading(store.TenantId, plugin.Id);
        await metadata.ChangeAsync(store, actor, current => PluginMetadata.Enable(current, plugin, operations, time.UtcNow(), upgradingFrom: enabled.Version), cancellationToken);
        await RunAsync(store, plugin.Id, enabled.Version, to.ToNormalizedString(), cancellationToken);
        var done = await metadata.ChangeAsync(store, actor, current => PluginMetadata.Enable(current, plugin, operations, time.UtcNow()), cancellationToken);
        await SaveCheckpointAsync(store, plugin.Id, null, null, CancellationToken.None);
        return done;
    }

    private async Task RunAsync(TenantStore store, string pluginId, string from, string to, CancellationToken cancellationToken)
    {
        var own = catalog.Implementations<IPluginUpgrade>().Where(u => u.PluginId == pluginId).Select(u => u.Instance).ToList();
        if (own.Count == 0)
        {
            return;
        }

        PluginStateRow? state;
        await using (var context = store.CreateContext())
        {
            state = await context.Set<PluginStateRow>().SingleOrDefaultAsync(s => s.PluginId == pluginId, cancellationToken);
        }

        var session = new CrmSession(store, CrmPrincipal.System(store.TenantId));
        foreach (var upgrade in own)
        {
            // A checkpoint belongs to one upgrade class between two versions.
            var key = $"{from}>{to}:{upgrade.GetType().Name}";
            var upgradeContext = new UpgradeContext(records.For(session), state?.Upgrade == key ? state.UpgradeCheckpoint : null,
                (checkpoint, token) => SaveCheckpointAsync(store, pluginId, key, checkpoint, token));
            try
            {
                await upgrade.UpgradeAsync(from, to, upgradeContext, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw failures.Report(pluginId, $"in its upgrade from {from} to {to} ({upgrade.GetType().Name})", store.TenantId, e,
                    "The tenant stays on the old version; the next start, or enabling the plugin again, resumes from the last checkpoint.").Refusal("id");
            }
        }
    }

    private static async Task SaveCheckpointAsync(TenantStore store, string pluginId, string? upgrade, string? checkpoint, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var row = await context.Set<PluginStateRow>().AsTracking().SingleOrDefaultAsync(s => s.PluginId == pluginId, cancellationToken);
        if (row is null)
        {
            context.Set<PluginStateRow>().Add(new PluginStateRow { PluginId = pluginId, Upgrade = upgrade, UpgradeCheckpoint = checkpoint });
        }
        else
        {
            row.Upgrade = upgrade;
            row.UpgradeCheckpoint = checkpoint;
        }

        await context.SaveChangesAsync(cancellationToken);
    }

    private sealed class UpgradeContext(Sdk.Records.IRecordApi records, string? checkpoint, Func<string, CancellationToken, Task> save) : IUpgradeContext
    {
        public Sdk.Records.IRecordApi Records => records;

        public string? Checkpoint { get; private set; } = checkpoint;

        public async Task SaveCheckpointAsync(string checkpoint, CancellationToken cancellationToken)
        {
            await save(checkpoint, cancellationToken);
            Checkpoint = checkpoint;
        }
    }
}
