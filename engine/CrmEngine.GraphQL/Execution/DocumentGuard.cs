using System.Globalization;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// Refuses documents that would cost too much before graphql-dotnet validates them: some standard
/// validation rules grow with the square of the fields selected, so a hostile document must be
/// stopped by a single linear walk first. Fragments are expanded as they would execute, and the
/// walk stops as soon as a limit is crossed, so even a "fragment bomb" costs at most the limit.
/// </summary>
public sealed class DocumentGuard(IOptions<QueryLimits> limits, IOptions<CrmEngineOptions> engine)
{
    private static readonly string[] PagingArguments = ["first", "last"];

    /// <summary>The refusal, or null when the document is within every limit.</summary>
    public ExecutionError? Check(ISchema schema, GraphQLDocument document, Inputs? variables)
    {
        var walk = new Walk(schema, document, variables, limits.Value, engine.Value.DefaultPageSize, engine.Value.MaxPageSize);
        return walk.Run();
    }

    private sealed class Walk(ISchema schema, GraphQLDocument document, Inputs? variables, QueryLimits limits, int defaultPageSize, int maxPageSize)
    {
        private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = document.Definitions
            .OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
        private long _complexity;
        private int _aliases;

        public ExecutionError? Run()
        {
            try
            {
                foreach (var definition in document.Definitions)
                {
                    if (definition is GraphQLExecutableDefinition executable)
                    {
                        CountAliases(executable.SelectionSet);
                    }
                }

                foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
                {
                    IGraphType? root = operation.Operation switch
                    {
                        OperationType.Query => schema.Query,
                        OperationType.Mutation => schema.Mutation,
                        _ => schema.Subscription,
                    };
                    Visit(operation.SelectionSet, root, 1, 0);
                }

                return null;
            }
            catch (RefusedException refused)
            {
                return new ExecutionError(refused.Message) { Code = refused.Code };
            }
        }

        /// <summary>Aliases as written: a fragment's count once however often it is spread.</summary>
        private void CountAliases(GraphQLSelectionSet? set)
        {
            if (set is null)
            {
                return;
            }

            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        if (field.Alias is not null && ++_aliases > limits.MaxAliases)
                        {
                            throw new RefusedException(ErrorCodes.TooManyAliases,
                                $"The query uses more than {limits.MaxAliases} aliases, the most one request may use. Split it into several requests.");
                        }

                        CountAliases(field.SelectionSet);
                        break;
                    case GraphQLInlineFragment inline:
                        CountAliases(inline.SelectionSet);
                        break;
                }
            }
        }

        private void Visit(GraphQLSelectionSet? set, IGraphType? type, long multiplier, int depth)
        {
            if (set is null)
            {
                return;
            }

            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        VisitField(field, type, multiplier, depth + 1);
                        break;
                    case GraphQLInlineFragment inline:
                        Visit(inline.SelectionSet, inline.TypeCondition is { } condition ? Named(condition.Type) : type, multiplier, depth);
                        break;
                    case GraphQLFragmentSpread spread:
                        var name = spread.FragmentName.Name.StringValue;
                        // A cycle is left to validation, which names it; here it just stops the walk.
                        if (_fragments.TryGetValue(name, out var fragment) && _expanding.Add(name))
                        {
                            Visit(fragment.SelectionSet, Named(fragment.TypeCondition.Type), multiplier, depth);
                            _expanding.Remove(name);
                        }

                        break;
                }
            }
        }

        private void VisitField(GraphQLField field, IGraphType? parent, long multiplier, int depth)
        {
            var name = field.Name.StringValue;
            if (!limits.Introspection && name is "__schema" or "__type")
            {
                throw new RefusedException(ErrorCodes.IntrospectionDisabled, "Introspection (__schema and __type) is turned off on this server.");
            }

            if (depth > limits.MaxDepth)
            {
                throw new RefusedException(ErrorCodes.QueryTooDeep,
                    $"The query nests fields more than {limits.MaxDepth} levels deep, the most one request may. Ask for less at once, or follow relations in a second request.");
            }

            _complexity += multiplier;
            if (_complexity > limits.MaxComplexity)
            {
                throw new RefusedException(ErrorCodes.QueryTooComplex,
                    $"The query could produce more than {limits.MaxComplexity} values (each field counts once per record it can appear on, and paged lists count their page size). Ask for smaller pages or fewer nested lists.");
            }

            var definition = (parent as IComplexGraphType)?.GetField(name);
            var pageSize = PageSize(field, definition);
            // Saturates instead of overflowing: anything past the limit is refused at the next field.
            var inner = Math.Min(multiplier * pageSize, (long)limits.MaxComplexity + 1);
            Visit(field.SelectionSet, definition?.ResolvedType?.GetNamedType(), inner, depth);
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
            GraphQLIntValue literal => long.TryParse(literal.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : long.MaxValue,
            GraphQLVariable variable when variables is not null && variables.TryGetValue(variable.Name.StringValue, out var bound) => ToLong(bound),
            _ => null,
        };

        private static long? ToLong(object? value) => value switch
        {
            long l => l,
            int i => i,
            System.Numerics.BigInteger big => big > long.MaxValue ? long.MaxValue : (long)big,
            decimal or double or float => Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && d >= long.MaxValue ? long.MaxValue : (long)Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ => null,
        };

        private IGraphType? Named(GraphQLNamedType type) => schema.AllTypes[type.Name.StringValue];
    }

    private sealed class RefusedException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
