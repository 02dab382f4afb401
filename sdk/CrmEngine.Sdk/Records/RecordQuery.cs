namespace CrmEngine.Sdk.Records;

/// <summary>One sort key: a field (or, through lookups, <c>"account.name"</c>), ascending or descending.</summary>
/// <param name="Field">The field's API name; a dotted path follows lookups.</param>
/// <param name="Descending">True for largest first. Empty values sort as the smallest value.</param>
public sealed record SortBy(string Field, bool Descending = false)
{
    /// <summary>Smallest first.</summary>
    public static SortBy Asc(string field) => new(field);

    /// <summary>Largest first.</summary>
    public static SortBy Desc(string field) => new(field, Descending: true);
}

/// <summary>Which records to read, in which order, and which page (keyset paging, as GraphQL lists page).</summary>
public sealed record RecordQuery
{
    /// <summary>The condition records must meet; null for all.</summary>
    public Condition? Where { get; init; }

    /// <summary>Sort keys, most significant first; the id breaks ties. Empty means creation order.</summary>
    public IReadOnlyList<SortBy> OrderBy { get; init; } = [];

    /// <summary>How many records to read, at most the engine's page limit.</summary>
    public int First { get; init; } = 100;

    /// <summary>The <see cref="RecordPage.EndCursor"/> of the previous page, to read the next one (same sort and condition).</summary>
    public string? After { get; init; }

    /// <summary>Count every matching record as well (one more query).</summary>
    public bool IncludeTotalCount { get; init; }
}

/// <summary>A page of records.</summary>
/// <param name="Records">The records, in order.</param>
/// <param name="HasMore">True when more records follow.</param>
/// <param name="EndCursor">Pass as <see cref="RecordQuery.After"/> for the next page.</param>
/// <param name="TotalCount">Every matching record, when asked for.</param>
public sealed record RecordPage(IReadOnlyList<CrmRecord> Records, bool HasMore, string? EndCursor, int? TotalCount);
