using CrmEngine.Engine.Records.Querying;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Types;

/// <summary>
/// The per-type filter inputs (<c>StringFilter { eq ne in notIn isNull }</c> ...), shared by every
/// entity's filter. Operator names map one-to-one to <see cref="FilterOperator"/>.
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
    };

    public FilterTypes(SharedTypes types)
    {
        String = Scalar("StringFilter", types.String, types);
        Long = Scalar("LongFilter", types.Long, types);
        Decimal = Scalar("DecimalFilter", types.Decimal, types);
        Date = Scalar("DateFilter", types.Date, types);
        DateTime = Scalar("DateTimeFilter", types.DateTime, types);
        Id = Scalar("IdFilter", types.Id, types);
        Money = Scalar("MoneyFilter", types.Decimal, types, "Compares the amount.");
        Boolean = Make("BooleanFilter", "Matches a boolean field.", ("eq", types.Boolean), ("ne", types.Boolean), ("isNull", types.Boolean));
        MultiPicklist = Make("MultiPicklistFilter", "Matches a multi-select picklist.",
            ("eq", SharedTypes.ListOf(types.String)), ("ne", SharedTypes.ListOf(types.String)), ("isNull", types.Boolean));
    }

    public InputObjectGraphType String { get; }

    public InputObjectGraphType Long { get; }

    public InputObjectGraphType Decimal { get; }

    public InputObjectGraphType Boolean { get; }

    public InputObjectGraphType Date { get; }

    public InputObjectGraphType DateTime { get; }

    public InputObjectGraphType Id { get; }

    public InputObjectGraphType Money { get; }

    public InputObjectGraphType MultiPicklist { get; }

    private static InputObjectGraphType Scalar(string name, IGraphType operand, SharedTypes types, string? note = null) =>
        Make(name, note ?? $"Matches a {operand.Name} value.",
            ("eq", operand), ("ne", operand), ("in", SharedTypes.ListOf(operand)), ("notIn", SharedTypes.ListOf(operand)), ("isNull", types.Boolean));

    private static InputObjectGraphType Make(string name, string description, params (string Name, IGraphType Type)[] operators) =>
        SharedTypes.Input(name, description, operators);
}
