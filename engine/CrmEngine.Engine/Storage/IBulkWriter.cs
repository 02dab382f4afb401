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

    /// <summary>New rows of one of the engine's own tables (audit, outbox), mapped as the model maps <typeparamref name="T"/>; keys the store generates are left to it.</summary>
    Task InsertAsync<T>(TenantDbContext context, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class;
}
