using CrmEngine.Engine.Fields;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>Which operators apply to which field types: the API offers exactly these, the engine enforces them.</summary>
public static class FilterOperators
{
    private static readonly ComparisonOperator[] Equality = [ComparisonOperator.Eq, ComparisonOperator.Ne, ComparisonOperator.In, ComparisonOperator.NotIn, ComparisonOperator.IsNull];

    private static readonly ComparisonOperator[] Ordered = [.. Equality, ComparisonOperator.Lt, ComparisonOperator.Lte, ComparisonOperator.Gt, ComparisonOperator.Gte, ComparisonOperator.Between];

    public static IReadOnlyList<ComparisonOperator> Text { get; } = [.. Ordered, ComparisonOperator.Contains, ComparisonOperator.StartsWith, ComparisonOperator.EndsWith];

    public static IReadOnlyList<ComparisonOperator> Number { get; } = Ordered;

    public static IReadOnlyList<ComparisonOperator> Temporal { get; } = [.. Ordered, ComparisonOperator.Relative];

    public static IReadOnlyList<ComparisonOperator> Choice { get; } = Equality;

    public static IReadOnlyList<ComparisonOperator> Boolean { get; } = [ComparisonOperator.Eq, ComparisonOperator.Ne, ComparisonOperator.IsNull];

    public static IReadOnlyList<ComparisonOperator> MultiChoice { get; } = [ComparisonOperator.Eq, ComparisonOperator.Ne, ComparisonOperator.IsNull, ComparisonOperator.Has, ComparisonOperator.HasAny, ComparisonOperator.HasAll];

    /// <summary>The operators of a filter input (a field's kind names its input); system fields use <see cref="ForClrType"/>.</summary>
    public static IReadOnlyList<ComparisonOperator> Of(ApiFilterType filter) => filter switch
    {
        ApiFilterType.Long or ApiFilterType.Decimal or ApiFilterType.Money => Number,
        ApiFilterType.Date or ApiFilterType.DateTime => Temporal,
        ApiFilterType.Boolean => Boolean,
        ApiFilterType.Picklist or ApiFilterType.Id => Choice,
        ApiFilterType.MultiPicklist => MultiChoice,
        _ => Text,
    };

    public static IReadOnlyList<ComparisonOperator> ForClrType(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core == typeof(DateTime) ? Temporal : core == typeof(long) ? Number : Choice;
    }
}
