using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Storage.Search;

/// <summary>One record found by a search, best first: higher scores are better matches.</summary>
public sealed record SearchHit(string Entity, Guid Id, double Score);

/// <summary>
/// The full-text index over fields marked searchable. Provider-specific by nature (SQLite FTS5 with
/// the trigram tokenizer; PostgreSQL pg_trgm and tsvector later), so it sits beside the storage
/// provider. Every method runs on a tenant context and joins its transaction: the index changes
/// with the record or metadata change that caused it, or not at all.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Creates the index if the store lacks it and some entity is searchable, filling it from the tables.</summary>
    Task EnsureAsync(TenantDbContext context, MetadataSnapshot metadata, CancellationToken cancellationToken);

    /// <summary>
    /// Follows a metadata change, inside its transaction: entities whose searchable fields changed
    /// (or that appeared, or came back) are re-indexed from their table; entities no longer
    /// searchable leave the index.
    /// </summary>
    Task SyncDefinitionsAsync(TenantDbContext context, MetadataSnapshot before, MetadataSnapshot after, CancellationToken cancellationToken);

    /// <summary>Sets the indexed text of one record; null removes it (deleted records are not found).</summary>
    Task IndexAsync(TenantDbContext context, string entity, Guid id, string? text, CancellationToken cancellationToken);

    /// <summary>Indexes many new records at once (bulk imports), in the context's transaction.</summary>
    Task IndexNewAsync(TenantDbContext context, string entity, IReadOnlyList<(Guid Id, string Text)> records, CancellationToken cancellationToken);

    /// <summary>
    /// Entries for new records of <paramref name="entity"/> written one at a time, as
    /// <see cref="IndexNewAsync"/> writes them, with statements kept prepared until disposed: a chunk
    /// of a bulk write indexes each item as it is written, in the context's transaction.
    /// </summary>
    Task<IPreparedSearchEntries> PrepareNewAsync(TenantDbContext context, string entity, CancellationToken cancellationToken);

    /// <summary>Records of <paramref name="entities"/> whose searchable text contains every word of <paramref name="text"/>, best first.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(TenantDbContext context, string text, IReadOnlyCollection<string> entities, int first, CancellationToken cancellationToken);
}
