namespace CrmEngine.Engine.Storage;

/// <summary>
/// An INSERT of one table prepared once and run row by row in the context's current transaction,
/// until disposed: what a chunk of a bulk write keeps for its items, each written as soon as it is
/// done (so the next item sees it) without preparing the statement again. Rows are mapped exactly as
/// <see cref="IBulkWriter.InsertAsync(TenantDbContext, string, IReadOnlyList{Dictionary{string, object?}}, CancellationToken)"/>
/// maps them (the same columns, EF's type mappings); a row the store refuses throws the store's error.
/// </summary>
public interface IPreparedInsert : IAsyncDisposable
{
    /// <summary>Writes one row: a record's property bag, or a system row (audit, outbox) of the table the insert was prepared for.</summary>
    Task InsertAsync(object row, CancellationToken cancellationToken);
}

/// <summary>The search index's entries for new records, written one at a time with statements kept prepared until disposed (<see cref="Search.ISearchIndex.PrepareNewAsync"/>).</summary>
public interface IPreparedSearchEntries : IAsyncDisposable
{
    /// <summary>Indexes a record that has no entry yet.</summary>
    Task AddAsync(Guid id, string text, CancellationToken cancellationToken);
}
