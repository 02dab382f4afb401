using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.PluginHost.Loading;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// Whether this host's code of a plugin may act for a tenant: only when the tenant's metadata is the
/// metadata of exactly that version. During a rolling upgrade that is the rule that keeps old code
/// from writing with new metadata and new code from acting on old metadata:
/// <list type="bullet">
/// <item>the tenant runs a newer version than this host (another host upgraded it): PLUGIN_OUTDATED;</item>
/// <item>an upgrade of the tenant has started and not finished (it runs, or it stopped half-way and
/// waits to be resumed), on any host: PLUGIN_UPGRADING, except for the upgrade's own work;</item>
/// <item>this host runs a newer version and the tenant's upgrade has not started yet: PLUGIN_UPGRADING.</item>
/// </list>
/// What waits is the plugin's own code and writes to its entities: its operations, hooks, public
/// endpoints and jobs. Reads of its records go on.
/// </summary>
public sealed class PluginServing(PluginCatalog catalog)
{
    private static readonly AsyncLocal<(string Tenant, string Plugin)?> Upgrade = new();

    /// <summary>Marks the calling flow as the upgrade of <paramref name="pluginId"/> on <paramref name="tenantId"/>, which alone may act while it runs.</summary>
    public static IDisposable Upgrading(string tenantId, string pluginId)
    {
        var outer = Upgrade.Value;
        Upgrade.Value = (tenantId, pluginId);
        return new Restore(() => Upgrade.Value = outer);
    }

    /// <summary>Why this host's code of <paramref name="pluginId"/> may not act for the tenant now, or null when it may (and for plugins it doesn't run).</summary>
    public CrmError? Refusal(string tenantId, MetadataSnapshot metadata, string pluginId)
    {
        if (catalog.Find(pluginId) is not { Status: PluginStatus.Loaded, Manifest.Version: var loaded }
            || metadata.Plugins.FirstOrDefault(p => p.Id == pluginId) is not { } enabled
            || Upgrade.Value == (tenantId, pluginId))
        {
            return null;
        }

        var here = loaded.ToNormalizedString();
        if (enabled.UpgradingTo is { } target)
        {
            return new CrmError(ErrorCodes.PluginUpgrading,
                $"Plugin '{pluginId}' is being upgraded on this tenant from {enabled.Version} to {target}: its entities, operations and jobs wait until the upgrade has finished (reads go on). Try again shortly; if it stopped, enablePlugin on a host with {target} resumes it.");
        }

        if (enabled.Version == here || !PluginVersion.TryParse(enabled.Version, out var recorded))
        {
            return null;
        }

        return recorded > loaded
            ? new CrmError(ErrorCodes.PluginOutdated,
                $"This tenant runs plugin '{pluginId}' {enabled.Version}, and this host still has {here}: its entities and operations wait until this host is upgraded. Try again on an upgraded host.")
            : new CrmError(ErrorCodes.PluginUpgrading,
                $"This host runs plugin '{pluginId}' {here}, and this tenant is still on {enabled.Version}: its entities, operations and jobs wait until the tenant is upgraded, which happens when the host starts or with enablePlugin. Reads go on.");
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
