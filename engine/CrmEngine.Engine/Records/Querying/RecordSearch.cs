using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Storage.Search;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>Search across entities: checks the request, then asks the store's <see cref="ISearchIndex"/>.</summary>
public sealed class RecordSearch(ISearchIndex index)
{
    public const int MaxResults = 100;
    public const int MaxTextLength = 200;

    /// <summary>Hits for <paramref name="text"/> in <paramref name="entities"/> (every searchable entity when null), best first.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(CrmSession session, string text, IReadOnlyCollection<string>? entities, int first, CancellationToken cancellationToken)
    {
        text = text.Trim();
        if (text.Length == 0 || text.Length > MaxTextLength)
        {
            throw new CrmException(ErrorCodes.InvalidInput, $"Search for 1 to {MaxTextLength} characters.", "text");
        }

        if (first < 1 || first > MaxResults)
        {
            throw new CrmException(ErrorCodes.PageSizeExceeded, $"search returns 1 to {MaxResults} results.", "first");
        }

        var searchable = session.Metadata.ActiveEntities.Where(e => SearchDocument.Columns(e).Count > 0).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in entities ?? [])
        {
            session.Metadata.Get(name);
            if (!searchable.Contains(name))
            {
                throw new CrmException(ErrorCodes.InvalidInput, $"Entity '{name}' has no searchable text fields; mark some fields searchable first.", "entities");
            }
        }

        await using var lease = ReadLease.For(session);
        return await index.SearchAsync(lease.Context, text, entities?.Distinct().ToList() ?? [.. searchable], first, cancellationToken);
    }
}
