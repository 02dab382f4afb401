namespace CrmEngine.Sdk.Records;

/// <summary>One record's change in a batched update: which record, the fields to set, and optionally the version it must still have.</summary>
/// <param name="Id">The record to change.</param>
/// <param name="Values">The fields to set, by API name.</param>
/// <param name="ExpectedVersion">When given, the item is refused (VERSION_CONFLICT) if the record moved on since that version was read.</param>
public sealed record RecordUpdate(Guid Id, IReadOnlyDictionary<string, object?> Values, long? ExpectedVersion = null);

/// <summary>
/// Updates many records of one entity in one call, each as <see cref="IRecordApi.UpdateAsync"/>
/// would (validation, permissions, hooks, rules, audit), answering one outcome per item in the order
/// given: a refused item writes nothing (nor anything its hooks wrote) and the others are written.
/// Outside a write (a job, an operation, an endpoint) the items are written in chunks of a
/// transaction each, as a bulk mutation writes them, much faster than one update per record; inside
/// a hook they join the write being handled, each under its own savepoint. The record APIs the engine
/// hands out implement it. Available from SDK 0.3.2; <see cref="RecordBatchUpdateExtensions.UpdateManyAsync"/> falls back to one update per record on a record API without it (a test double).
/// </summary>
public interface IRecordBatchUpdates
{
    /// <summary>Updates the records (see <see cref="IRecordBatchUpdates"/>); one outcome per item, by position.</summary>
    /// <param name="entity">The entity's API name.</param>
    /// <param name="items">Each record's id, fields and expected version.</param>
    /// <param name="cancellationToken">Stops the call; chunks already committed stay.</param>
    Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(string entity, IReadOnlyList<RecordUpdate> items, CancellationToken cancellationToken = default);
}

/// <summary>Conveniences over <see cref="IRecordBatchUpdates"/>.</summary>
public static class RecordBatchUpdateExtensions
{
    /// <summary>
    /// Updates the records in one batched call when the record API supports it (the engine's do);
    /// otherwise (a test double) one <see cref="IRecordApi.UpdateAsync"/> after another, with the same outcomes.
    /// </summary>
    public static async Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(this IRecordApi records, string entity, IReadOnlyList<RecordUpdate> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(items);
        if (records is IRecordBatchUpdates batch)
        {
            return await batch.UpdateManyAsync(entity, items, cancellationToken).ConfigureAwait(false);
        }

        var outcomes = new List<WriteOutcome>(items.Count);
        foreach (var item in items)
        {
            outcomes.Add(await records.UpdateAsync(entity, item.Id, item.Values, item.ExpectedVersion, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }
}
