using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Storage.Search;

/// <summary>
/// What of a record goes into the search index: the stored text of its active searchable fields
/// that hold text (text kinds, picklists, auto-numbers), joined by spaces in field order. Bulk
/// rebuilds compute the same text in SQL from the same columns.
/// </summary>
public static class SearchDocument
{
    /// <summary>The text columns indexed for an entity, in order; empty when it has none.</summary>
    public static IReadOnlyList<string> Columns(EntityDefinition entity) =>
        entity.ActiveFields.Where(f => f.Searchable).Select(f => f.Of().Columns(f)[0]).Where(c => c.ClrType == typeof(string)).Select(c => c.Name).ToList();

    /// <summary>A record's indexed text, or null when the entity has no searchable text fields.</summary>
    public static string? Text(EntityDefinition entity, IReadOnlyDictionary<string, object?> row)
    {
        var columns = Columns(entity);
        return columns.Count == 0 ? null : string.Join(' ', columns.Select(c => row.GetValueOrDefault(c) as string ?? string.Empty));
    }
}
