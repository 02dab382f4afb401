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

    /// <summary>A page of live records: filtered with any of the engine's operators, sorted, keyset-paged.</summary>
    Task<RecordPage> QueryAsync(string entity, RecordQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts, sums, averages and extremes over live records, in total and grouped by fields, lookups or date buckets.</summary>
    Task<AggregateResult> AggregateAsync(string entity, AggregateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates a record from field values by API name.</summary>
    Task<WriteOutcome> CreateAsync(string entity, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates many records of one entity in one call, each as <see cref="CreateAsync"/> would
    /// (validation, permissions, hooks, rules, audit), and answers one outcome per item, in the order
    /// given: a refused item writes nothing and the others are written. Outside a write (an operation,
    /// a job, an endpoint) the items are written in chunks of a transaction each, as a bulk mutation
    /// writes them, much faster than one <see cref="CreateAsync"/> per record; inside a hook they join
    /// the write being handled, each under its own savepoint, and commit or roll back with it.
    /// Available from SDK 0.3.0.
    /// </summary>
    /// <param name="entity">The entity's API name.</param>
    /// <param name="items">Each record's field values by API name.</param>
    /// <param name="cancellationToken">Stops the call; chunks already committed stay.</param>
    Task<IReadOnlyList<WriteOutcome>> CreateManyAsync(string entity, IReadOnlyList<IReadOnlyDictionary<string, object?>> items, CancellationToken cancellationToken = default);

    /// <summary>Changes some fields of a record; with <paramref name="expectedVersion"/> the write is refused if the record moved on.</summary>
    Task<WriteOutcome> UpdateAsync(string entity, Guid id, IReadOnlyDictionary<string, object?> values, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a record (softly: it can be restored).</summary>
    Task<WriteOutcome> DeleteAsync(string entity, Guid id, long? expectedVersion = null, CancellationToken cancellationToken = default);
}

/// <summary>Conveniences over <see cref="IRecordApi"/>.</summary>
public static class RecordApiExtensions
{
    /// <summary>Every live record matching a condition, read page by page in the given order (creation order by default).</summary>
    public static async IAsyncEnumerable<CrmRecord> QueryAllAsync(this IRecordApi records, string entity, Condition? where = null, IReadOnlyList<SortBy>? orderBy = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var query = new RecordQuery { Where = where, OrderBy = orderBy ?? [], First = 500 };
        while (true)
        {
            var page = await records.QueryAsync(entity, query, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
            {
                yield return record;
            }

            if (!page.HasMore)
            {
                yield break;
            }

            query = query with { After = page.EndCursor };
        }
    }

    /// <summary>How many live records match a condition.</summary>
    public static async Task<long> CountAsync(this IRecordApi records, string entity, Condition? where = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return (await records.AggregateAsync(entity, new AggregateRequest { Where = where }, cancellationToken).ConfigureAwait(false)).Totals.Count;
    }
}
