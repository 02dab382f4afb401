using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>Which operators apply to which field types: the API offers exactly these, the engine enforces them.</summary>
public static class FilterOperators
{
    private static readonly FilterOperator[] Equality = [FilterOperator.Eq, FilterOperator.Ne, FilterOperator.In, FilterOperator.NotIn, FilterOperator.IsNull];

    private static readonly FilterOperator[] Ordered = [.. Equality, FilterOperator.Lt, FilterOperator.Lte, FilterOperator.Gt, FilterOperator.Gte, FilterOperator.Between];

    public static IReadOnlyList<FilterOperator> Text { get; } = [.. Ordered, FilterOperator.Contains, FilterOperator.StartsWith, FilterOperator.EndsWith];

    public static IReadOnlyList<FilterOperator> Number { get; } = Ordered;

    public static IReadOnlyList<FilterOperator> Temporal { get; } = [.. Ordered, FilterOperator.Relative];

    public static IReadOnlyList<FilterOperator> Choice { get; } = Equality;

    public static IReadOnlyList<FilterOperator> Boolean { get; } = [FilterOperator.Eq, FilterOperator.Ne, FilterOperator.IsNull];

    public static IReadOnlyList<FilterOperator> MultiChoice { get; } = [FilterOperator.Eq, FilterOperator.Ne, FilterOperator.IsNull, FilterOperator.Has, FilterOperator.HasAny, FilterOperator.HasAll];

    /// <summary>Operators for a field type; system fields use <see cref="ForClrType"/>.</summary>
    public static IReadOnlyList<FilterOperator> For(FieldType type) => type switch
    {
        FieldType.Integer or FieldType.Decimal or FieldType.Money => Number,
        FieldType.Date or FieldType.DateTime => Temporal,
        FieldType.Boolean => Boolean,
        FieldType.Picklist or FieldType.Lookup => Choice,
        FieldType.MultiPicklist => MultiChoice,
        _ => Text,
    };

    public static IReadOnlyList<FilterOperator> ForClrType(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core == typeof(DateTime) ? Temporal : core == typeof(long) ? Number : Choice;
    }
}
