using System.Globalization;
using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Types;

/// <summary>Any JSON value, for audit values whose type depends on the field, and rule filters and test records.</summary>
public sealed class JsonGraphType : ScalarGraphType
{
    public JsonGraphType()
    {
        Name = "JSON";
        Description = "Any JSON value.";
    }

    /// <summary>
    /// A literal as the value the same JSON would give as a variable: objects and lists too, and
    /// numbers as long or decimal; a number neither holds is refused as an invalid literal, not a fault.
    /// </summary>
    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => (string)s.Value,
        GraphQLBooleanValue b => b.BoolValue,
        GraphQLIntValue i when long.TryParse(i.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) => integer,
        GraphQLIntValue i when decimal.TryParse(i.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var large) => large,
        GraphQLFloatValue f when decimal.TryParse(f.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        GraphQLListValue list => list.Values?.Select(ParseLiteral).ToList() ?? [],
        GraphQLObjectValue obj => (obj.Fields ?? []).GroupBy(f => f.Name.StringValue).ToDictionary(g => g.Key, g => ParseLiteral(g.Last().Value)),
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value;

    public override object? Serialize(object? value) => value is JsonElement { ValueKind: JsonValueKind.Null } ? null : value;
}
