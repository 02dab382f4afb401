using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Types;

/// <summary>Any JSON value, for audit values whose type depends on the field.</summary>
public sealed class JsonGraphType : ScalarGraphType
{
    public JsonGraphType()
    {
        Name = "JSON";
        Description = "Any JSON value.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => (string)s.Value,
        GraphQLBooleanValue b => b.BoolValue,
        GraphQLIntValue i => long.Parse(i.Value.Span, provider: System.Globalization.CultureInfo.InvariantCulture),
        GraphQLFloatValue f => decimal.Parse(f.Value.Span, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value;

    public override object? Serialize(object? value) => value is JsonElement { ValueKind: JsonValueKind.Null } ? null : value;
}
