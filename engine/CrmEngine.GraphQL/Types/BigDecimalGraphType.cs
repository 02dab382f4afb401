using CrmEngine.Engine.Records.Querying.Aggregation;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Types;

/// <summary>
/// Exact decimal numbers of any size, for sums and averages: a sum of Long or Decimal values can
/// exceed both types, and rounding it would be wrong. Written as a JSON number with every digit.
/// </summary>
public sealed class BigDecimalGraphType : ScalarGraphType
{
    public BigDecimalGraphType()
    {
        Name = "BigDecimal";
        Description = "An exact decimal number of any size, written as a JSON number with all its digits (a sum of Long or Decimal values can exceed both).";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLIntValue i when ExactDecimal.TryParse(i.Value.Span, out var number) => number,
        GraphQLFloatValue f when ExactDecimal.TryParse(f.Value.Span, out var number) => number,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        ExactDecimal number => number,
        decimal number => ExactDecimal.From(number),
        long number => ExactDecimal.From(number),
        int number => ExactDecimal.From(number),
        string text when ExactDecimal.TryParse(text, out var number) => number,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        ExactDecimal or decimal or long => value,
        int number => (long)number,
        _ => ThrowSerializationError(value),
    };
}
