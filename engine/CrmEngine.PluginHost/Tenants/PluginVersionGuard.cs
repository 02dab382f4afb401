using CrmEngine.Engine.Records.Pipeline;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// The rolling-upgrade rule for writes to a plugin's entities (<see cref="PluginServing"/>): refused
/// with PLUGIN_OUTDATED or PLUGIN_UPGRADING while this host's version of the plugin and the tenant's
/// metadata differ, before any hook runs, so neither old nor new code writes with the other's metadata.
/// </summary>
internal sealed class PluginVersionGuard(PluginServing serving) : IRecordHook
{
    public string Source => "plugins";

    // Before any other hook: nothing of the plugin's code runs on such a write.
    public int Order => int.MinValue;

    public bool AppliesTo(RecordChange change) => Refusal(change) is not null;

    public Task ValidateAsync(RecordChange change, CancellationToken cancellationToken)
    {
        if (Refusal(change) is { } refusal)
        {
            change.Reject(refusal.Message, null, refusal.Code);
        }

        return Task.CompletedTask;
    }

    private Engine.Errors.CrmError? Refusal(RecordChange change) => serving.Refusal(change.Session.TenantId, change.Session.Metadata, change.Entity.Source);
}
