using CrmEngine.Engine.Records.Querying.Aggregation;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Types;

/// <summary>
/// The Decimal scalar (and so money amounts): taken as a number or, as many GraphQL servers take
/// decimals, as a string such as <c>"1234.50"</c>, so a client whose JSON numbers are doubles can send
/// every digit. Either way the value is read exactly or refused, never rounded: a number a decimal
/// can't hold exactly (more than 28 digits, <c>1e999</c>) and text that isn't a number
/// (<c>"12,3"</c>, <c>"abc"</c>) are type errors. Variables that arrive as JSON numbers are already
/// read by the JSON reader, which keeps a decimal where a double would lose digits.
/// </summary>
public sealed class CrmDecimalGraphType : DecimalGraphType
{
    public CrmDecimalGraphType()
    {
        Name = "Decimal";
        Description = "An exact decimal number of up to 28 digits, as a number or a string (\"1234.50\"); written as a number.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value is GraphQLNullValue ? null : Exact(value) ?? ThrowLiteralConversionError(value);

    public override bool CanParseLiteral(GraphQLValue value) => value is GraphQLNullValue || Exact(value) is not null;

    // A refused variable is INVALID_VALUE, "Variable '$input.price' is invalid. Unable to convert '12,3' to 'Decimal'".
    public override object? ParseValue(object? value) => value is string text ? Exact(text) ?? ThrowValueConversionError(value) : base.ParseValue(value);

    private static decimal? Exact(GraphQLValue value) => value switch
    {
        GraphQLIntValue number => Exact(number.Value.Span),
        GraphQLFloatValue number => Exact(number.Value.Span),
        GraphQLStringValue text => Exact(text.Value.Span),
        _ => null,
    };

    private static decimal? Exact(ReadOnlySpan<char> text) =>
        ExactDecimal.TryParse(text, out var number) && number.TryToDecimal(out var value) ? value : null;
}
