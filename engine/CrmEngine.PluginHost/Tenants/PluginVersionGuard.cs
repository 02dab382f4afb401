using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.PluginHost.Loading;
using NuGet.Versioning;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// The rolling-upgrade rule for writes: a host whose plugin is older than the version a tenant's
/// metadata records (another host upgraded the tenant) refuses writes to that plugin's entities with
/// PLUGIN_OUTDATED until it runs the new version, so old code never writes with new metadata. Reads
/// go on. The other way round, a host with the newer version upgrades the tenant when it starts.
/// </summary>
internal sealed class PluginVersionGuard(PluginCatalog catalog) : IRecordHook
{
    private readonly Dictionary<string, (string Text, NuGetVersion Version)> _loaded =
        catalog.Loaded.ToDictionary(p => p.Id, p => (p.Manifest!.Version.ToNormalizedString(), p.Manifest.Version), StringComparer.Ordinal);

    public string Source => "plugins";

    // Before any other hook: nothing of the old code runs on such a write.
    public int Order => int.MinValue;

    public bool AppliesTo(RecordChange change) =>
        _loaded.TryGetValue(change.Entity.Source, out var loaded)
        && change.Session.Metadata.Plugins.FirstOrDefault(p => p.Id == change.Entity.Source) is { } enabled
        && enabled.Version != loaded.Text
        && PluginVersion.TryParse(enabled.Version, out var recorded) && recorded > loaded.Version;

    public Task ValidateAsync(RecordChange change, CancellationToken cancellationToken)
    {
        var recorded = change.Session.Metadata.Plugins.First(p => p.Id == change.Entity.Source).Version;
        var loaded = _loaded[change.Entity.Source].Text;
        change.Reject($"This tenant runs plugin '{change.Entity.Source}' {recorded}, and this host still has {loaded}: writes to its entities wait until this host is upgraded. Try again on an upgraded host.", null, ErrorCodes.PluginOutdated);
        return Task.CompletedTask;
    }
}
