using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Rows derived from records that are kept in the records' own transaction, as the search index is
/// (duplicate match keys): called by the pipeline for each create, update, delete and restore, and by
/// the bulk importer for each batch, once the rows hold their final values and before the commit.
/// A deleted record's row has its deleted_at set. Rows a companion adds to the context are saved with
/// the write; it may also write through the context's transaction directly (bulk inserts, deletes).
/// </summary>
public interface IWriteCompanion
{
    Task WrittenAsync(TenantDbContext context, IReadOnlyList<(RecordChange Change, Dictionary<string, object?> Row)> writes, CancellationToken cancellationToken);
}
