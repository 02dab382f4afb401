using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Storage.Search;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>Search across entities: checks the request, then asks the store's <see cref="ISearchIndex"/>.</summary>
/// <remarks>
/// Hits are what the caller may see: entities it can't read are not searched, records outside its
/// read scope are dropped, and where it can't read some searchable field a hit must match in the
/// fields it can read. The index is asked for more hits than wanted so filtering rarely shortens a page.
/// </remarks>
public sealed class RecordSearch(ISearchIndex index, RecordReader reader)
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

        var words = Words(text);
        text = string.Join(' ', words);

        if (first < 1 || first > MaxResults)
        {
            throw new CrmException(ErrorCodes.PageSizeExceeded, $"search returns 1 to {MaxResults} results.", "first");
        }

        var permissions = session.Permissions;
        var searchable = session.Metadata.ActiveEntities.Where(e => SearchDocument.Columns(e).Count > 0).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in entities ?? [])
        {
            session.Metadata.Get(name);
            if (!searchable.Contains(name))
            {
                throw new CrmException(ErrorCodes.InvalidInput, $"Entity '{name}' has no searchable text fields; mark some fields searchable first.", "entities");
            }

            if (!ReadAccess.CanReadAny(permissions, name))
            {
                throw ReadAccess.Refused(name);
            }
        }

        var targets = entities?.Distinct().ToList() ?? searchable.Where(e => ReadAccess.CanReadAny(permissions, e)).ToList();
        if (targets.Count == 0)
        {
            return [];
        }

        var restricted = targets.Where(e => !IsUnrestricted(session, session.Metadata.Get(e))).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<SearchHit> hits;
        await using (var lease = ReadLease.For(session))
        {
            hits = await index.SearchAsync(lease.Context, text, targets, restricted.Count == 0 ? first : Math.Min(first * 4, MaxResults * 4), cancellationToken);
        }

        if (restricted.Count == 0)
        {
            return hits;
        }

        var visible = new Dictionary<string, IReadOnlyDictionary<Guid, RecordData>>(StringComparer.Ordinal);
        foreach (var entity in hits.Select(h => h.Entity).Distinct().Where(restricted.Contains))
        {
            visible[entity] = await reader.GetManyAsync(session, entity, hits.Where(h => h.Entity == entity).Select(h => h.Id).ToList(), cancellationToken);
        }

        return hits.Where(h => !restricted.Contains(h.Entity) || (visible[h.Entity].TryGetValue(h.Id, out var record) && MatchesVisibleText(record, words))).Take(first).ToList();
    }

    /// <summary>
    /// The words of a search text, each found as a literal substring: quotes, full-text and LIKE
    /// operators are characters to find, never syntax (the stores quote and escape them). Words are
    /// separated by whitespace and by control characters (a NUL or a tab separates as a space does:
    /// stored text has no use for them, and PostgreSQL can't hold a NUL). Text that is not valid
    /// UTF-16 (a lone surrogate) or has no words is refused.
    /// </summary>
    private static string[] Words(string text)
    {
        if (!Fields.LooseConvert.IsValidUtf16(text))
        {
            throw new CrmException(ErrorCodes.InvalidInput, "The search text is not valid Unicode: it has a lone surrogate.", "text");
        }

        var words = string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        }).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 ? words : throw new CrmException(ErrorCodes.InvalidInput, "The search text has no words, only control characters.", "text");
    }

    /// <summary>Every record readable and every searchable field visible: the index's hits stand as they are.</summary>
    private static bool IsUnrestricted(CrmSession session, Metadata.EntityDefinition entity) =>
        session.Permissions.Scope(entity.Name, Identity.RecordAction.Read) == Identity.AccessScope.All
        && entity.ActiveFields.Where(f => f.Searchable).All(f => session.Permissions.CanRead(entity.Name, f.Name));

    private static bool MatchesVisibleText(RecordData record, string[] words)
    {
        var text = string.Join(' ', record.Entity.ActiveFields.Where(f => f.Searchable && record.IsVisible(f.Name)).Select(f => record.Get(f) as string ?? string.Empty));
        return words.All(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
    }
}
