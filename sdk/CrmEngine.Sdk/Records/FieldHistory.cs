namespace CrmEngine.Sdk.Records;

/// <summary>One change of one field as the audit trail kept it: a record's value before and after a write.</summary>
/// <param name="RecordId">The record written.</param>
/// <param name="At">When the write committed (UTC).</param>
/// <param name="Operation">create, update, delete or restore.</param>
/// <param name="Old">The value before, in its API form as text (an option's API name, a number, a date); null when unset or on create.</param>
/// <param name="New">The value after, as text; null when cleared.</param>
public sealed record FieldChangeEntry(Guid RecordId, DateTime At, string Operation, string? Old, string? New);

/// <summary>
/// The audit trail of one field across the records of an entity over a time range, so a module can
/// count changes over time from the history itself (lifecycle transitions per month), correct for
/// every write ever audited and not only those made after the module started counting. Only records
/// the caller may read, and only a field the caller may read. The record APIs the engine hands out
/// implement it. Available from SDK 0.3.1.
/// </summary>
public interface IFieldHistory
{
    /// <summary>The changes of <paramref name="field"/> on records of <paramref name="entity"/> made from <paramref name="fromUtc"/> (inclusive) to <paramref name="toUtc"/> (exclusive), oldest first.</summary>
    IAsyncEnumerable<FieldChangeEntry> FieldChangesAsync(string entity, string field, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default);
}

/// <summary>Conveniences over <see cref="IFieldHistory"/>.</summary>
public static class FieldHistoryExtensions
{
    /// <summary>The field's changes over the range, oldest first (see <see cref="IFieldHistory"/>).</summary>
    /// <exception cref="NotSupportedException">The record API has no history (a test double).</exception>
    public static IAsyncEnumerable<FieldChangeEntry> FieldChangesAsync(this IRecordApi records, string entity, string field, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default) =>
        records is IFieldHistory history
            ? history.FieldChangesAsync(entity, field, fromUtc, toUtc, cancellationToken)
            : throw new NotSupportedException("This record API keeps no history.");
}
