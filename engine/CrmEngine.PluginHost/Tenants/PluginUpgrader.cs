using System.Threading.Channels;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Loading;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// Brings every tenant to the plugin versions this host runs (<see cref="PluginUpgradeRunner"/>):
/// at start-up, and again after each reload that changed a version. Passes run one at a time; a
/// tenant refused (its upgrade failed or another version's is unfinished) is logged and skipped.
/// </summary>
public sealed class PluginUpgrader(PluginCatalog catalog, PluginEnabler enabler, TenantCatalog tenants, TenantRegistry registry, ILogger<PluginUpgrader> logger)
    : BackgroundService
{
    private readonly Channel<bool> _passes = Channel.CreateUnbounded<bool>();
    private readonly TaskCompletionSource _startUpPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends when the start-up pass has (health checks and tests wait for it; later passes run for reloads).</summary>
    public Task StartUpPass => _startUpPass.Task;

    /// <summary>Asks for a pass over every tenant (a reload changed plugin versions).</summary>
    public void RequestPass() => _passes.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // A start-up pass that can't even list the tenants fails the service, and so stops the host.
            await UpgradeAllAsync(stoppingToken);
        }
        finally
        {
            _startUpPass.TrySetResult();
        }

        await foreach (var _ in _passes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await UpgradeAllAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // After a reload the host is serving: a pass that fails is logged, and the next reload or start tries again.
                logger.LogError(e, "Upgrading tenants to the reloaded plugin versions failed.");
            }
        }
    }

    private async Task UpgradeAllAsync(CancellationToken stoppingToken)
    {
        foreach (var tenant in await tenants.ListTenantsAsync(stoppingToken))
        {
            var store = await registry.GetAsync(tenant.Id, stoppingToken);
            foreach (var enabled in store.Metadata.Plugins)
            {
                if (catalog.Find(enabled.Id) is { Status: PluginStatus.Loaded } plugin && plugin.Manifest!.Version.ToNormalizedString() != enabled.Version)
                {
                    try
                    {
                        await enabler.EnableAsync(store, enabled.Id, null, stoppingToken);
                        logger.LogInformation("Upgraded plugin {Plugin} on tenant {Tenant} from {From} to {To}.", enabled.Id, tenant.Id, enabled.Version, plugin.Manifest.Version.ToNormalizedString());
                    }
                    catch (Engine.Errors.CrmException e)
                    {
                        logger.LogError("Upgrading plugin {Plugin} on tenant {Tenant} was refused: {Reason}", enabled.Id, tenant.Id, e.Message);
                    }
                }
            }
        }
    }
}
