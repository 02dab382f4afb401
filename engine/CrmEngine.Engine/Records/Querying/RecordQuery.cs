using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>Which records of an entity to list, in which order, and which page of them (Relay arguments).</summary>
public sealed record RecordQuery(string Entity)
{
    public Condition? Filter { get; init; }

    /// <summary>Sort keys, most significant first; the id always breaks ties. Empty means by id (creation order).</summary>
    public IReadOnlyList<SortKey> OrderBy { get; init; } = [];

    public int? First { get; init; }

    public string? After { get; init; }

    public int? Last { get; init; }

    public string? Before { get; init; }

    public DeletedRecords Deleted { get; init; } = DeletedRecords.Exclude;

    public bool IncludeTotalCount { get; init; }

    /// <summary>
    /// The fields (API names, system fields such as <c>createdAt</c> included) the caller will read
    /// from the records; null reads every column. The records then hold only these fields' columns,
    /// the id and the sort keys.
    /// </summary>
    public IReadOnlyCollection<string>? Fields { get; init; }
}

public enum DeletedRecords
{
    Exclude,
    Include,
    Only,
}

/// <summary>A page of records with their cursors.</summary>
public sealed record RecordPage(IReadOnlyList<RecordEdge> Edges, bool HasNextPage, bool HasPreviousPage, int? TotalCount)
{
    public string? StartCursor => Edges.Count == 0 ? null : Edges[0].Cursor;

    public string? EndCursor => Edges.Count == 0 ? null : Edges[^1].Cursor;
}

/// <summary>A record with its cursor, signed only when first asked for (lists read as nodes never pay for it).</summary>
public sealed class RecordEdge(RecordData record, Func<string> cursor)
{
    private string? _cursor;

    public RecordEdge(RecordData record, string cursor)
        : this(record, () => cursor)
    {
    }

    public RecordData Record { get; } = record;

    public string Cursor => _cursor ??= cursor();
}
