namespace CrmEngine.Engine.Records.Querying.Aggregation;

public enum DateBucket
{
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

public enum AggregateFunction
{
    CountDistinct,
    Sum,
    Avg,
    Min,
    Max,
}

/// <summary>How groups are ordered before the group limit applies.</summary>
public enum GroupOrder
{
    KeyAsc,
    KeyDesc,
    CountDesc,
    CountAsc,
}

/// <summary>Group by a field (or system field); date and date-time fields may be bucketed, in a time zone.</summary>
public sealed record GroupBySpec(string Field, DateBucket? Bucket = null, string? TimeZone = null);

/// <summary>One value to compute per group, such as sum of budget.</summary>
public sealed record AggregateSpec(AggregateFunction Function, string Field);

/// <summary>
/// An aggregate over an entity's records: the records matching <see cref="Filter"/>, optionally in
/// groups, with a count and the requested values for the whole set and for each group.
/// </summary>
public sealed record AggregateQuery(string Entity)
{
    public const int MaxGroupKeys = 3;

    public RecordFilter? Filter { get; init; }

    public IReadOnlyList<GroupBySpec> GroupBy { get; init; } = [];

    public IReadOnlyList<AggregateSpec> Values { get; init; } = [];

    public bool IncludeTotals { get; init; } = true;

    public bool IncludeGroups { get; init; } = true;

    /// <summary>The most groups to return; more are reported by <see cref="AggregateResult.HasMoreGroups"/>.</summary>
    public int GroupLimit { get; init; } = 100;

    public GroupOrder Order { get; init; } = GroupOrder.KeyAsc;
}

/// <summary>A group (or the whole set): its key values in groupBy order, its count and its values.</summary>
public sealed record AggregateRow(IReadOnlyList<object?> Key, long Count, IReadOnlyDictionary<AggregateSpec, object?> Values);

public sealed record AggregateResult(AggregateRow? Totals, IReadOnlyList<AggregateRow> Groups, bool HasMoreGroups);
