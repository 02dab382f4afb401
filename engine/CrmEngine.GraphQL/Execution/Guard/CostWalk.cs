using System.Globalization;
using System.Numerics;
using CrmEngine.Engine.Errors;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// Estimates how many values an operation can produce: each field counts once per record it can
/// appear on, and a paged field multiplies what is under it by its page size (from its arguments,
/// the request's variables, or the defaults). Runs on every request, because page sizes can come
/// from variables; stops as soon as the estimate passes the limit.
/// </summary>
internal sealed class CostWalk(ISchema schema, GraphQLDocument document, Inputs? variables, QueryLimits limits, int defaultPageSize, int maxPageSize)
{
    private static readonly string[] PagingArguments = ["first", "last"];

    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = Fragments.Of(document);
    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
    private long _complexity;

    public long Complexity => _complexity;

    public void Run()
    {
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition operation)
            {
                IGraphType? root = operation.Operation switch
                {
                    OperationType.Query => schema.Query,
                    OperationType.Mutation => schema.Mutation,
                    _ => schema.Subscription,
                };
                Visit(operation.SelectionSet, root, 1);
            }
        }
    }

    private void Visit(GraphQLSelectionSet? set, IGraphType? type, long multiplier)
    {
        foreach (var selection in set?.Selections ?? [])
        {
            switch (selection)
            {
                case GraphQLField field:
                    VisitField(field, type, multiplier);
                    break;
                case GraphQLInlineFragment inline:
                    Visit(inline.SelectionSet, inline.TypeCondition is { } condition ? Named(condition.Type) : type, multiplier);
                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    if (_fragments.TryGetValue(name, out var fragment) && _expanding.Add(name))
                    {
                        Visit(fragment.SelectionSet, Named(fragment.TypeCondition.Type), multiplier);
                        _expanding.Remove(name);
                    }

                    break;
            }
        }
    }

    private void VisitField(GraphQLField field, IGraphType? parent, long multiplier)
    {
        _complexity += multiplier;
        if (_complexity > limits.MaxComplexity)
        {
            throw new GuardRefusal(ErrorCodes.QueryTooComplex,
                $"The query could produce more than {limits.MaxComplexity} values (each field counts once per record it can appear on, and paged lists count their page size). Ask for smaller pages or fewer nested lists.");
        }

        if (field.SelectionSet is null)
        {
            return;
        }

        var definition = (parent as IComplexGraphType)?.GetField(field.Name.StringValue);
        // Saturates instead of overflowing: anything past the limit is refused at the next field.
        var inner = Math.Min(multiplier * PageSize(field, definition), (long)limits.MaxComplexity + 1);
        Visit(field.SelectionSet, definition?.ResolvedType?.GetNamedType(), inner);
    }

    /// <summary>How many records a paged field can return: its first/last, its default, or the engine's default page size (at most the engine's maximum).</summary>
    private long PageSize(GraphQLField field, FieldType? definition)
    {
        if (definition?.Arguments is not { } arguments || PagingArguments.All(a => arguments.Find(a) is null))
        {
            return 1;
        }

        var given = PagingArguments
            .Select(name => field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == name)?.Value)
            .Select(value => value is null ? null : Number(value))
            .FirstOrDefault(size => size is not null);
        // A size past the engine's maximum is refused by the engine itself, with PAGE_SIZE_EXCEEDED.
        return Math.Clamp(given ?? ToLong(arguments.Find("first")?.DefaultValue) ?? defaultPageSize, 1, maxPageSize);
    }

    private long? Number(GraphQLValue value) => value switch
    {
        GraphQLIntValue literal => long.TryParse(literal.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number
            : literal.Value.Span.StartsWith("-") ? long.MinValue : long.MaxValue,
        GraphQLVariable variable when variables is not null && variables.TryGetValue(variable.Name.StringValue, out var bound) => ToLong(bound),
        _ => null,
    };

    /// <summary>A bound page size as a long, saturating at either end: the size itself is refused later, when its field runs.</summary>
    private static long? ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        BigInteger big => big > long.MaxValue ? long.MaxValue : big < long.MinValue ? long.MinValue : (long)big,
        decimal or double or float => Saturate(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        _ => null,
    };

    private static long Saturate(double value) =>
        double.IsNaN(value) ? 0 : value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

    private IGraphType? Named(GraphQLNamedType type) => schema.AllTypes[type.Name.StringValue];
}
