namespace CrmEngine.Sdk.Records;

/// <summary>
/// Whether the tenant has an entity, so a module can read another module's records through the
/// generic record API by entity name (the service module's cases, marketing's campaign members)
/// when that module is enabled, and say "not there" otherwise, without depending on it. The record
/// APIs the engine hands out implement it. Available from SDK 0.3.1.
/// </summary>
public interface IEntityPresence
{
    /// <summary>True when the tenant has an active entity of this API name.</summary>
    bool HasEntity(string entity);
}

/// <summary>Conveniences over <see cref="IEntityPresence"/>.</summary>
public static class EntityPresenceExtensions
{
    /// <summary>True when the tenant has an active entity of this API name; false when the record API can't tell (a test double).</summary>
    public static bool HasEntity(this IRecordApi records, string entity) => records is IEntityPresence presence && presence.HasEntity(entity);
}
