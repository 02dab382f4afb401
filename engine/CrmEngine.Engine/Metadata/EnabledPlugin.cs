namespace CrmEngine.Engine.Metadata;

/// <summary>
/// A plugin enabled on a tenant, as part of the tenant's metadata: enabling or disabling one is a
/// metadata change, so the schema (which includes the plugin's operations) follows its version.
/// </summary>
/// <param name="Id">The plugin id.</param>
/// <param name="Version">The plugin version whose metadata was applied.</param>
/// <param name="Queries">The root query fields the plugin adds (reserved against entity names).</param>
/// <param name="Mutations">The mutation fields the plugin adds.</param>
/// <param name="UpgradingTo">
/// While an upgrade of the tenant to a newer plugin version runs, or after one stopped before its
/// end, that version; null otherwise. Recorded in the metadata so every host, old or new, sees it.
/// </param>
public sealed record EnabledPlugin(string Id, string Version, IReadOnlyList<string> Queries, IReadOnlyList<string> Mutations, string? UpgradingTo = null);
