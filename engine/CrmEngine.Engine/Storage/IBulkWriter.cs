namespace CrmEngine.Engine.Storage;

/// <summary>
/// The provider's fastest way to insert many new rows of one entity table inside the context's
/// current transaction (one prepared statement on SQLite; binary COPY on PostgreSQL later). Rows are
/// full storage rows, already validated by the caller.
/// </summary>
public interface IBulkWriter
{
    Task InsertAsync(TenantDbContext context, string entity, IReadOnlyList<Dictionary<string, object?>> rows, CancellationToken cancellationToken);
}
