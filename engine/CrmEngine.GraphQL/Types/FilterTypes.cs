using CrmEngine.Engine.Records.Querying;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Types;

/// <summary>
/// The per-type filter inputs (<c>StringFilter { eq ne in notIn lt ... contains }</c>, ...), shared
/// by every entity's filter. Operator names map one-to-one to <see cref="FilterOperator"/>, and each
/// type offers exactly the operators <see cref="FilterOperators"/> allows for its field types.
/// </summary>
public sealed class FilterTypes
{
    /// <summary>Operator input names and what they mean.</summary>
    public static IReadOnlyDictionary<string, FilterOperator> Operators { get; } = new Dictionary<string, FilterOperator>(StringComparer.Ordinal)
    {
        ["eq"] = FilterOperator.Eq,
        ["ne"] = FilterOperator.Ne,
        ["in"] = FilterOperator.In,
        ["notIn"] = FilterOperator.NotIn,
        ["isNull"] = FilterOperator.IsNull,
        ["lt"] = FilterOperator.Lt,
        ["lte"] = FilterOperator.Lte,
        ["gt"] = FilterOperator.Gt,
        ["gte"] = FilterOperator.Gte,
        ["between"] = FilterOperator.Between,
        ["contains"] = FilterOperator.Contains,
        ["startsWith"] = FilterOperator.StartsWith,
        ["endsWith"] = FilterOperator.EndsWith,
        ["relative"] = FilterOperator.Relative,
        ["has"] = FilterOperator.Has,
        ["hasAny"] = FilterOperator.HasAny,
        ["hasAll"] = FilterOperator.HasAll,
    };

    private static readonly Dictionary<FilterOperator, string> Descriptions = new()
    {
        [FilterOperator.Eq] = "Equal to.",
        [FilterOperator.Ne] = "Not equal to (records without a value match too).",
        [FilterOperator.In] = "One of these values.",
        [FilterOperator.NotIn] = "None of these values.",
        [FilterOperator.IsNull] = "true: has no value; false: has one.",
        [FilterOperator.Lt] = "Less than.",
        [FilterOperator.Lte] = "Less than or equal to.",
        [FilterOperator.Gt] = "Greater than.",
        [FilterOperator.Gte] = "Greater than or equal to.",
        [FilterOperator.Between] = "Between two values [low, high], both included.",
        [FilterOperator.Contains] = "Contains this text, ignoring case.",
        [FilterOperator.StartsWith] = "Starts with this text, ignoring case.",
        [FilterOperator.EndsWith] = "Ends with this text, ignoring case.",
        [FilterOperator.Relative] = "Within a calendar period relative to now, such as { period: THIS_MONTH } or { period: LAST_N_DAYS, days: 7 }.",
        [FilterOperator.Has] = "Has this option (among others).",
        [FilterOperator.HasAny] = "Has at least one of these options.",
        [FilterOperator.HasAll] = "Has every one of these options.",
    };

    private readonly SharedTypes _types;

    public FilterTypes(SharedTypes types)
    {
        _types = types;
        RelativePeriod = new EnumerationGraphType<RelativePeriod> { Name = "RelativePeriod", Description = "A calendar period relative to now; weeks start on Monday." };
        RelativeDateRange = SharedTypes.Input("RelativeDateRange",
            "A period relative to when the query runs, in calendar days of timeZone (an IANA id such as Asia/Shanghai; the engine's configured zone, UTC unless set, when omitted).",
            ("period", SharedTypes.NonNull(RelativePeriod)), ("days", types.Int), ("timeZone", types.String));
        String = Make("StringFilter", "Matches a text value. Comparisons are exact; contains, startsWith and endsWith ignore case.", types.String, FilterOperators.Text);
        Picklist = Make("PicklistFilter", "Matches a picklist's option value.", types.String, FilterOperators.Choice);
        Long = Make("LongFilter", "Matches an integer.", types.Long, FilterOperators.Number);
        Decimal = Make("DecimalFilter", "Matches a decimal number.", types.Decimal, FilterOperators.Number);
        Money = Make("MoneyFilter", "Compares the amount (in the record's own currency).", types.Decimal, FilterOperators.Number);
        Date = Make("DateFilter", "Matches a calendar date.", types.Date, FilterOperators.Temporal);
        DateTime = Make("DateTimeFilter", "Matches an instant.", types.DateTime, FilterOperators.Temporal);
        Id = Make("IdFilter", "Matches an id (global id or UUID).", types.Id, FilterOperators.Choice);
        Boolean = Make("BooleanFilter", "Matches a boolean field.", types.Boolean, FilterOperators.Boolean);
        MultiPicklist = Make("MultiPicklistFilter", "Matches a multi-select picklist; eq and ne compare the whole set of options, in any order.", types.String, FilterOperators.MultiChoice);
    }

    public EnumerationGraphType<RelativePeriod> RelativePeriod { get; }

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

    private InputObjectGraphType Make(string name, string description, IGraphType operand, IReadOnlyList<FilterOperator> operators)
    {
        var type = new InputObjectGraphType { Name = name, Description = description };
        foreach (var op in operators)
        {
            var operandType = op switch
            {
                FilterOperator.IsNull => (IGraphType)_types.Boolean,
                FilterOperator.In or FilterOperator.NotIn or FilterOperator.Between or FilterOperator.HasAny or FilterOperator.HasAll => SharedTypes.ListOf(operand),
                FilterOperator.Eq or FilterOperator.Ne when name == "MultiPicklistFilter" => SharedTypes.ListOf(operand),
                FilterOperator.Relative => RelativeDateRange,
                _ => operand,
            };
            type.AddField(new FieldType { Name = Operators.First(o => o.Value == op).Key, ResolvedType = operandType, Description = Descriptions[op] });
        }

        return type;
    }
}
