namespace CrmEngine.Sdk.Records;

/// <summary>
/// Reads and writes records as the current identity, through the same pipeline (validation, hooks,
/// rules, audit) and permissions as the GraphQL API. Inside a hook, writes join the write being
/// handled: they commit or roll back with it.
/// </summary>
public interface IRecordApi
{
    /// <summary>One live record by id, or null.</summary>
    Task<CrmRecord?> GetAsync(string entity, Guid id, CancellationToken cancellationToken = default);

    /// <summary>Live records matching a condition, oldest first, at most <paramref name="first"/> (up to the engine's page limit).</summary>
    Task<IReadOnlyList<CrmRecord>> FindAsync(string entity, Condition? where = null, int first = 100, CancellationToken cancellationToken = default);

    /// <summary>Creates a record from field values by API name.</summary>
    Task<WriteOutcome> CreateAsync(string entity, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default);

    /// <summary>Changes some fields of a record; with <paramref name="expectedVersion"/> the write is refused if the record moved on.</summary>
    Task<WriteOutcome> UpdateAsync(string entity, Guid id, IReadOnlyDictionary<string, object?> values, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a record (softly: it can be restored).</summary>
    Task<WriteOutcome> DeleteAsync(string entity, Guid id, long? expectedVersion = null, CancellationToken cancellationToken = default);
}
