namespace CrmEngine.Engine.Storage;

/// <summary>
/// The provider's fastest way to insert many new rows of one table inside the context's current
/// transaction (one prepared statement on SQLite; binary COPY on PostgreSQL). Rows are complete
/// and already validated by the caller; values are written as EF's type mappings store them.
/// </summary>
public interface IBulkWriter
{
    /// <summary>New records of an entity table (property bags keyed by column property name).</summary>
    Task InsertAsync(TenantDbContext context, string entity, IReadOnlyList<Dictionary<string, object?>> rows, CancellationToken cancellationToken);

    /// <summary>
    /// New records of an entity table, each kept or refused on its own: a row the store refuses with
    /// an error <paramref name="isRowFailure"/> recognises (a unique value taken, a lookup to nothing)
    /// is left out and its position returned; the other rows are written and the transaction goes on.
    /// Null, with nothing written, when the store can't do that (a failed statement aborts a
    /// PostgreSQL transaction): the caller then writes with <see cref="InsertAsync(TenantDbContext, string, IReadOnlyList{Dictionary{string, object?}}, CancellationToken)"/>.
    /// </summary>
    Task<IReadOnlyList<int>?> TryInsertEachAsync(TenantDbContext context, string entity, IReadOnlyList<Dictionary<string, object?>> rows, Func<Exception, bool> isRowFailure, CancellationToken cancellationToken);

    /// <summary>New rows of one of the engine's own tables (audit, outbox), mapped as the model maps <typeparamref name="T"/>; keys the store generates are left to it.</summary>
    Task InsertAsync<T>(TenantDbContext context, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class;

    /// <summary>An INSERT of an entity table kept prepared for rows written one at a time (<see cref="IPreparedInsert"/>); holds the context's connection open until disposed.</summary>
    Task<IPreparedInsert> PrepareAsync(TenantDbContext context, string entity, CancellationToken cancellationToken);

    /// <summary>An INSERT of one of the engine's own tables (audit, outbox) kept prepared, mapped as <see cref="InsertAsync{T}"/> maps <typeparamref name="T"/>.</summary>
    Task<IPreparedInsert> PrepareAsync<T>(TenantDbContext context, CancellationToken cancellationToken)
        where T : class;
}
