using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Storage.Search;

/// <summary>
/// What every store's search index does the same way: when it is created and filled, and which
/// entities a metadata change re-indexes. Providers supply the SQL.
/// </summary>
public abstract class SearchIndexBase : ISearchIndex
{
    public async Task EnsureAsync(TenantDbContext context, MetadataSnapshot metadata, CancellationToken cancellationToken)
    {
        var searchable = metadata.ActiveEntities.Where(e => SearchDocument.Columns(e).Count > 0).ToList();
        if (searchable.Count == 0 || await ExistsAsync(context, cancellationToken))
        {
            return;
        }

        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        await CreateAsync(context, cancellationToken);
        foreach (var entity in searchable)
        {
            await RebuildAsync(context, entity, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SyncDefinitionsAsync(TenantDbContext context, MetadataSnapshot before, MetadataSnapshot after, CancellationToken cancellationToken)
    {
        var changed = after.Entities.Select(e => e.Name).Union(before.Entities.Select(e => e.Name))
            .Where(name => !Signature(before.Find(name)).SequenceEqual(Signature(after.Find(name))))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await CreateAsync(context, cancellationToken);
        foreach (var name in changed)
        {
            await RemoveEntityAsync(context, name, cancellationToken);
            if (after.Find(name) is { } entity && SearchDocument.Columns(entity).Count > 0)
            {
                await RebuildAsync(context, entity, cancellationToken);
            }
        }
    }

    public abstract Task IndexAsync(TenantDbContext context, string entity, Guid id, string? text, CancellationToken cancellationToken);

    public abstract Task IndexNewAsync(TenantDbContext context, string entity, IReadOnlyList<(Guid Id, string Text)> records, CancellationToken cancellationToken);

    public abstract Task<IPreparedSearchEntries> PrepareNewAsync(TenantDbContext context, string entity, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(TenantDbContext context, string text, IReadOnlyCollection<string> entities, int first, CancellationToken cancellationToken)
    {
        if (entities.Count == 0 || !await ExistsAsync(context, cancellationToken))
        {
            return [];
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return await SearchWordsAsync(context, text, words, entities, first, cancellationToken);
    }

    /// <summary>Records of <paramref name="entities"/> whose text contains every one of <paramref name="words"/> (split from <paramref name="text"/>), best first.</summary>
    protected abstract Task<IReadOnlyList<SearchHit>> SearchWordsAsync(TenantDbContext context, string text, IReadOnlyList<string> words, IReadOnlyCollection<string> entities, int first, CancellationToken cancellationToken);

    /// <summary>True when the store has the index.</summary>
    protected abstract Task<bool> ExistsAsync(TenantDbContext context, CancellationToken cancellationToken);

    /// <summary>Creates the index if the store lacks it.</summary>
    protected abstract Task CreateAsync(TenantDbContext context, CancellationToken cancellationToken);

    /// <summary>Removes every entry of an entity.</summary>
    protected abstract Task RemoveEntityAsync(TenantDbContext context, string entity, CancellationToken cancellationToken);

    /// <summary>Indexes every live record of an entity, set-based, from its table.</summary>
    protected abstract Task RebuildAsync(TenantDbContext context, EntityDefinition entity, CancellationToken cancellationToken);

    /// <summary>What decides an entity's index entries: whether it is active and which columns it indexes.</summary>
    private static IEnumerable<string> Signature(EntityDefinition? entity) =>
        entity is null ? [] : [entity.TableName, .. SearchDocument.Columns(entity)];
}
