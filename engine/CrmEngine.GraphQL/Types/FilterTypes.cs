using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Records;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Types;

/// <summary>
/// The per-type filter inputs (<c>StringFilter { eq ne in notIn lt ... contains }</c>, ...), shared
/// by every entity's filter. Operator names map one-to-one to <see cref="ComparisonOperator"/>, and each
/// type offers exactly the operators <see cref="FilterOperators"/> allows for its field types.
/// </summary>
public sealed class FilterTypes
{
    /// <summary>Operator input names and what they mean.</summary>
    public static IReadOnlyDictionary<string, ComparisonOperator> Operators { get; } = new Dictionary<string, ComparisonOperator>(StringComparer.Ordinal)
    {
        ["eq"] = ComparisonOperator.Eq,
        ["ne"] = ComparisonOperator.Ne,
        ["in"] = ComparisonOperator.In,
        ["notIn"] = ComparisonOperator.NotIn,
        ["isNull"] = ComparisonOperator.IsNull,
        ["lt"] = ComparisonOperator.Lt,
        ["lte"] = ComparisonOperator.Lte,
        ["gt"] = ComparisonOperator.Gt,
        ["gte"] = ComparisonOperator.Gte,
        ["between"] = ComparisonOperator.Between,
        ["contains"] = ComparisonOperator.Contains,
        ["startsWith"] = ComparisonOperator.StartsWith,
        ["endsWith"] = ComparisonOperator.EndsWith,
        ["relative"] = ComparisonOperator.Relative,
        ["has"] = ComparisonOperator.Has,
        ["hasAny"] = ComparisonOperator.HasAny,
        ["hasAll"] = ComparisonOperator.HasAll,
    };

    private static readonly Dictionary<ComparisonOperator, string> Descriptions = new()
    {
        [ComparisonOperator.Eq] = "Equal to.",
        [ComparisonOperator.Ne] = "Not equal to (records without a value match too).",
        [ComparisonOperator.In] = "One of these values.",
        [ComparisonOperator.NotIn] = "None of these values.",
        [ComparisonOperator.IsNull] = "true: has no value; false: has one.",
        [ComparisonOperator.Lt] = "Less than.",
        [ComparisonOperator.Lte] = "Less than or equal to.",
        [ComparisonOperator.Gt] = "Greater than.",
        [ComparisonOperator.Gte] = "Greater than or equal to.",
        [ComparisonOperator.Between] = "Between two values [low, high], both included.",
        [ComparisonOperator.Contains] = "Contains this text, ignoring case.",
        [ComparisonOperator.StartsWith] = "Starts with this text, ignoring case.",
        [ComparisonOperator.EndsWith] = "Ends with this text, ignoring case.",
        [ComparisonOperator.Relative] = "Within a calendar period relative to now, such as { period: THIS_MONTH } or { period: LAST_N_DAYS, days: 7 }.",
        [ComparisonOperator.Has] = "Has this option (among others).",
        [ComparisonOperator.HasAny] = "Has at least one of these options.",
        [ComparisonOperator.HasAll] = "Has every one of these options.",
    };

    private readonly SharedTypes _types;

    public FilterTypes(SharedTypes types)
    {
        _types = types;
        RelativePeriod = new EnumerationGraphType<RelativePeriod> { Name = "RelativePeriod", Description = "A calendar period relative to now; weeks start on Monday." };
        RelativeDateRange = SharedTypes.Input("RelativeDateRange",
            "A period relative to when the query runs, in calendar days of timeZone (an IANA id such as Asia/Shanghai; the engine's configured zone, UTC unless set, when omitted).",
            ("period", SharedTypes.NonNull(RelativePeriod)), ("days", types.Int), ("timeZone", types.String));
        String = Make("StringFilter", "Matches a text value. Comparisons are exact; contains, startsWith and endsWith ignore case.", types.String, FilterOperators.Of(ApiFilterType.String));
        Picklist = Make("PicklistFilter", "Matches a picklist's option value.", types.String, FilterOperators.Of(ApiFilterType.Picklist));
        Long = Make("LongFilter", "Matches an integer.", types.Long, FilterOperators.Of(ApiFilterType.Long));
        Decimal = Make("DecimalFilter", "Matches a decimal number.", types.Decimal, FilterOperators.Of(ApiFilterType.Decimal));
        Money = Make("MoneyFilter", "Compares the amount (in the record's own currency).", types.Decimal, FilterOperators.Of(ApiFilterType.Money));
        Date = Make("DateFilter", "Matches a calendar date.", types.Date, FilterOperators.Of(ApiFilterType.Date));
        DateTime = Make("DateTimeFilter", "Matches an instant.", types.DateTime, FilterOperators.Of(ApiFilterType.DateTime));
        Id = Make("IdFilter", "Matches an id (global id or UUID).", types.Id, FilterOperators.Of(ApiFilterType.Id));
        Boolean = Make("BooleanFilter", "Matches a boolean field.", types.Boolean, FilterOperators.Of(ApiFilterType.Boolean));
        MultiPicklist = Make("MultiPicklistFilter", "Matches a multi-select picklist; eq and ne compare the whole set of options, in any order.", types.String, FilterOperators.Of(ApiFilterType.MultiPicklist));
    }

    public EnumerationGraphType<RelativePeriod> RelativePeriod { get; }

    /// <summary>The input a kind's <see cref="ApiFilterType"/> names.</summary>
    public InputObjectGraphType For(ApiFilterType filter) => filter switch
    {
        ApiFilterType.Picklist => Picklist,
        ApiFilterType.Long => Long,
        ApiFilterType.Decimal => Decimal,
        ApiFilterType.Money => Money,
        ApiFilterType.Boolean => Boolean,
        ApiFilterType.Date => Date,
        ApiFilterType.DateTime => DateTime,
        ApiFilterType.Id => Id,
        ApiFilterType.MultiPicklist => MultiPicklist,
        _ => String,
    };

    public InputObjectGraphType RelativeDateRange { get; }

    public InputObjectGraphType String { get; }

    public InputObjectGraphType Picklist { get; }

    public InputObjectGraphType Long { get; }

    public InputObjectGraphType Decimal { get; }

    public InputObjectGraphType Boolean { get; }

    public InputObjectGraphType Date { get; }

    public InputObjectGraphType DateTime { get; }

    public InputObjectGraphType Id { get; }

    public InputObjectGraphType Money { get; }

    public InputObjectGraphType MultiPicklist { get; }

    private InputObjectGraphType Make(string name, string description, IGraphType operand, IReadOnlyList<ComparisonOperator> operators)
    {
        var type = new InputObjectGraphType { Name = name, Description = description };
        foreach (var op in operators)
        {
            var operandType = op switch
            {
                ComparisonOperator.IsNull => (IGraphType)_types.Boolean,
                ComparisonOperator.In or ComparisonOperator.NotIn or ComparisonOperator.Between or ComparisonOperator.HasAny or ComparisonOperator.HasAll => SharedTypes.ListOf(operand),
                ComparisonOperator.Eq or ComparisonOperator.Ne when name == "MultiPicklistFilter" => SharedTypes.ListOf(operand),
                ComparisonOperator.Relative => RelativeDateRange,
                _ => operand,
            };
            type.AddField(new FieldType { Name = Operators.First(o => o.Value == op).Key, ResolvedType = operandType, Description = Descriptions[op] });
        }

        return type;
    }
}
