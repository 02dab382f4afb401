using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Plugins;

/// <summary>
/// Moves a tenant's data when a newer version of the plugin replaces the one the tenant enabled:
/// renamed or retired fields whose values move, backfills. The host runs it once per tenant and
/// upgrade, under a lease (several hosts never run it together), between two metadata changes:
/// before it, the tenant has the new version's entities and fields and still the fields the new
/// version no longer declares, so both can be read and written; after it, those fields are retired
/// (hidden, data kept) and the tenant records the new version. When it fails or its host dies, the
/// tenant stays on the old version and the next start runs it again from the last checkpoint.
/// </summary>
public interface IPluginUpgrade
{
    /// <summary>Moves the data of one tenant from <paramref name="fromVersion"/> to <paramref name="toVersion"/> (normalized semantic versions such as 1.0.0).</summary>
    Task UpgradeAsync(string fromVersion, string toVersion, IUpgradeContext context, CancellationToken cancellationToken);
}

/// <summary>What an upgrade sees: the tenant's records as the system identity, and a checkpoint to resume from.</summary>
public interface IUpgradeContext
{
    /// <summary>The record API, as the engine's system identity; writes go through the pipeline.</summary>
    IRecordApi Records { get; }

    /// <summary>The last checkpoint this upgrade saved on this tenant (for this from and to), or null on its first run.</summary>
    string? Checkpoint { get; }

    /// <summary>Saves where the upgrade got to (a page cursor, say), so a run that stops resumes there. Save after each batch.</summary>
    Task SaveCheckpointAsync(string checkpoint, CancellationToken cancellationToken);
}
