using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying.Aggregation;

/// <summary>
/// An aggregate over an entity's records: the SDK's <see cref="AggregateRequest"/> (the records
/// matching its condition, optionally in groups, with a count and the requested values for the
/// whole set and for each group), and which of the two parts the caller reads.
/// </summary>
public sealed record AggregateQuery(string Entity, AggregateRequest Request)
{
    public const int MaxGroupKeys = 3;

    public bool IncludeTotals { get; init; } = true;

    public bool IncludeGroups { get; init; } = true;

    /// <summary>
    /// The month (1-12) a fiscal year starts in, for the group keys listed in <see cref="FiscalKeys"/>:
    /// their QUARTER and YEAR buckets are fiscal quarters and years, which the store computes from
    /// the date moved back by <c>FiscalYearStartMonth - 1</c> months.
    /// </summary>
    public int FiscalYearStartMonth { get; init; } = 1;

    /// <summary>Which group keys (indexes into the request's GroupBy) bucket by fiscal periods.</summary>
    public IReadOnlySet<int> FiscalKeys { get; init; } = new HashSet<int>();
}

/// <summary>
/// A group (or the whole set): its key values in groupBy order, its count and its values. Sums stay
/// exact (<see cref="ExactDecimal"/>) here; the API and the SDK each give them in their own form.
/// </summary>
public sealed record AggregateRow(IReadOnlyList<object?> Key, long Count, IReadOnlyDictionary<Aggregate, object?> Values);

/// <summary>The groups (in the requested order), and the totals when they were asked for.</summary>
public sealed record AggregateResult(AggregateRow? Totals, IReadOnlyList<AggregateRow> Groups, bool HasMoreGroups);
