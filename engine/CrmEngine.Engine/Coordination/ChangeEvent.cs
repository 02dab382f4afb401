namespace CrmEngine.Engine.Coordination;

/// <summary>
/// Something one host changed that every host caching it must take into account. Small on purpose:
/// it says what to reload, never the new state itself (hosts read that from the store).
/// </summary>
/// <param name="Kind">One of <see cref="ChangeKinds"/>.</param>
/// <param name="TenantId">The tenant it concerns, if any.</param>
/// <param name="Version">For metadata: the tenant's new metadata version.</param>
/// <param name="Subject">For a revoked key, a record change or a notification: what it is about.</param>
public sealed record ChangeEvent(string Kind, string? TenantId = null, long? Version = null, string? Subject = null);

/// <summary>The kinds of <see cref="ChangeEvent"/>.</summary>
public static class ChangeKinds
{
    /// <summary>A tenant's metadata moved to <see cref="ChangeEvent.Version"/> (entities, fields, enabled plugins).</summary>
    public const string Metadata = "metadata";

    /// <summary>A tenant's users, teams or roles changed.</summary>
    public const string Identity = "identity";

    /// <summary>A tenant's settings changed (<see cref="Tenancy.TenantSettings"/>).</summary>
    public const string Settings = "settings";

    /// <summary>A tenant's rules changed.</summary>
    public const string Rules = "rules";

    /// <summary>An API key (<see cref="ChangeEvent.Subject"/>) was revoked.</summary>
    public const string KeyRevoked = "key-revoked";

    /// <summary>A tenant was deleted.</summary>
    public const string TenantRemoved = "tenant-removed";

    /// <summary>A tenant's store was replaced (restored from a backup): everything cached about it is stale.</summary>
    public const string TenantReplaced = "tenant-replaced";

    /// <summary>
    /// A record change committed and passed the outbox: <see cref="ChangeEvent.Version"/> is its outbox
    /// sequence, <see cref="ChangeEvent.Subject"/> its entity. Hosts deliver it to their GraphQL subscribers.
    /// </summary>
    public const string Record = "record";

    /// <summary>
    /// A notification to a user (crm.notify, INotifier) committed: <see cref="ChangeEvent.Subject"/> is
    /// its id. Hosts read it from the store and deliver it to the user's GraphQL subscribers.
    /// </summary>
    public const string Notification = "notification";

    /// <summary>This host may have missed events (its listener reconnected): re-check everything cached.</summary>
    public const string Resync = "resync";
}
