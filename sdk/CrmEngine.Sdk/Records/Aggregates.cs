namespace CrmEngine.Sdk.Records;

/// <summary>Calendar buckets for grouping dates and date-times.</summary>
public enum DateBucket
{
    /// <summary>By day.</summary>
    Day,

    /// <summary>By week, starting on Monday.</summary>
    Week,

    /// <summary>By calendar month.</summary>
    Month,

    /// <summary>By calendar quarter.</summary>
    Quarter,

    /// <summary>By calendar year.</summary>
    Year,
}

/// <summary>What to compute over a group's records.</summary>
public enum AggregateFunction
{
    /// <summary>How many different values.</summary>
    CountDistinct,

    /// <summary>The exact sum (numbers, money amounts).</summary>
    Sum,

    /// <summary>The average.</summary>
    Avg,

    /// <summary>The smallest value.</summary>
    Min,

    /// <summary>The largest value.</summary>
    Max,
}

/// <summary>The order of groups before the group limit applies.</summary>
public enum GroupOrder
{
    /// <summary>By key, smallest first.</summary>
    KeyAsc,

    /// <summary>By key, largest first.</summary>
    KeyDesc,

    /// <summary>Biggest groups first.</summary>
    CountDesc,

    /// <summary>Smallest groups first.</summary>
    CountAsc,
}

/// <summary>A group key: a field, a lookup (keyed by the related record's id) or a date bucketed in a time zone.</summary>
/// <param name="Field">The field's API name (ownerId, createdAt and other system fields work too).</param>
/// <param name="Bucket">For dates: the calendar bucket.</param>
/// <param name="TimeZone">For buckets: an IANA time zone; the engine's default when null.</param>
public sealed record Grouping(string Field, DateBucket? Bucket = null, string? TimeZone = null);

/// <summary>One value to compute per group, such as the sum of amount.</summary>
/// <param name="Function">The function.</param>
/// <param name="Field">The field it applies to.</param>
public sealed record Aggregate(AggregateFunction Function, string Field)
{
    /// <summary>The sum of a field.</summary>
    public static Aggregate Sum(string field) => new(AggregateFunction.Sum, field);

    /// <summary>The average of a field.</summary>
    public static Aggregate Avg(string field) => new(AggregateFunction.Avg, field);

    /// <summary>The smallest value of a field.</summary>
    public static Aggregate Min(string field) => new(AggregateFunction.Min, field);

    /// <summary>The largest value of a field.</summary>
    public static Aggregate Max(string field) => new(AggregateFunction.Max, field);

    /// <summary>How many different values a field has.</summary>
    public static Aggregate CountDistinct(string field) => new(AggregateFunction.CountDistinct, field);
}

/// <summary>An aggregate over an entity's records: a count and values for all that match, and per group.</summary>
public sealed record AggregateRequest
{
    /// <summary>The records to aggregate; null for all.</summary>
    public Condition? Where { get; init; }

    /// <summary>Up to three group keys; empty for totals only.</summary>
    public IReadOnlyList<Grouping> GroupBy { get; init; } = [];

    /// <summary>The values to compute besides the count.</summary>
    public IReadOnlyList<Aggregate> Values { get; init; } = [];

    /// <summary>The most groups to return (up to the engine's limit).</summary>
    public int GroupLimit { get; init; } = 100;

    /// <summary>The order of the groups.</summary>
    public GroupOrder Order { get; init; } = GroupOrder.KeyAsc;
}

/// <summary>A group (or the whole set): its key values in <see cref="AggregateRequest.GroupBy"/> order, its count and its values.</summary>
/// <param name="Key">The key values: field values, lookup ids (Guid), bucket starts (DateOnly, or DateTime in UTC).</param>
/// <param name="Count">How many records.</param>
/// <param name="Values">
/// The computed values: counts as long, sums and averages as decimal, extremes in the field's type; null over no values.
/// Sums are exact: one that needs more digits than a decimal holds fails the call with AGGREGATE_OVERFLOW instead of being rounded.
/// </param>
public sealed record AggregateGroup(IReadOnlyList<object?> Key, long Count, IReadOnlyDictionary<Aggregate, object?> Values)
{
    /// <summary>A computed value converted to <typeparamref name="T"/>; default when empty.</summary>
    public T? Value<T>(Aggregate aggregate) => Records.Values.Convert<T>(Values.GetValueOrDefault(aggregate));
}

/// <summary>The result of an aggregate.</summary>
/// <param name="Totals">Count and values over every matching record.</param>
/// <param name="Groups">The groups, in the requested order.</param>
/// <param name="HasMoreGroups">True when the group limit left groups out.</param>
public sealed record AggregateResult(AggregateGroup Totals, IReadOnlyList<AggregateGroup> Groups, bool HasMoreGroups);
