namespace CrmEngine.Engine.Records.Querying;

public enum SortDirection
{
    Asc,
    Desc,
}

/// <summary>Where records without a value go. By default empty values sort as the smallest value.</summary>
public enum NullsPlacement
{
    Default,
    First,
    Last,
}

/// <summary>
/// One sort key: a field of the entity, or of a record reached through lookups
/// (<c>["account", "name"]</c>), with its direction and where empty values go.
/// </summary>
public sealed record SortKey(IReadOnlyList<string> Path, SortDirection Direction = SortDirection.Asc, NullsPlacement Nulls = NullsPlacement.Default)
{
    public SortKey(string field, SortDirection direction = SortDirection.Asc, NullsPlacement nulls = NullsPlacement.Default)
        : this([field], direction, nulls)
    {
    }

    /// <summary>Whether empty values come first in this key's order.</summary>
    public bool NullsFirst => Nulls switch
    {
        NullsPlacement.First => true,
        NullsPlacement.Last => false,
        _ => Direction == SortDirection.Asc,
    };
}
