using CrmEngine.Engine.Errors;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// One pass over a document as written, every definition included (validation visits unused ones
/// too): counts fields, aliases, directives, fragments and variables, and stops at the first count
/// past its limit. Recursion follows the parser's own nesting, which the parser bounds.
/// </summary>
internal sealed class DocumentCensus(QueryLimits limits)
{
    private int _fields;
    private int _aliases;
    private int _directives;
    private int _fragments;
    private int _variables;

    /// <summary>Fields as written, for the caller's estimate of validation work.</summary>
    public int Fields => _fields;

    public void Run(GraphQLDocument document)
    {
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition operation:
                    Directives(operation.Directives);
                    foreach (var variable in operation.Variables?.Items ?? [])
                    {
                        GuardRefusal.Count(ref _variables, limits.MaxVariables, ErrorCodes.TooManyVariables, "variables");
                        Directives(variable.Directives);
                    }

                    Selections(operation.SelectionSet);
                    break;
                case GraphQLFragmentDefinition fragment:
                    GuardRefusal.Count(ref _fragments, limits.MaxFragments, ErrorCodes.TooManyFragments, "fragment definitions");
                    Directives(fragment.Directives);
                    Selections(fragment.SelectionSet);
                    break;
            }
        }
    }

    private void Selections(GraphQLSelectionSet? set)
    {
        foreach (var selection in set?.Selections ?? [])
        {
            switch (selection)
            {
                case GraphQLField field:
                    GuardRefusal.Count(ref _fields, limits.MaxFields, ErrorCodes.TooManyFields, "fields");
                    if (field.Alias is not null && ++_aliases > limits.MaxAliases)
                    {
                        throw new GuardRefusal(ErrorCodes.TooManyAliases,
                            $"The query uses more than {limits.MaxAliases} aliases, the most one request may use. Split it into several requests.");
                    }

                    if (!limits.Introspection && field.Name.StringValue is "__schema" or "__type")
                    {
                        throw new GuardRefusal(ErrorCodes.IntrospectionDisabled, "Introspection (__schema and __type) is turned off on this server.");
                    }

                    Directives(field.Directives);
                    Selections(field.SelectionSet);
                    break;
                case GraphQLInlineFragment inline:
                    Directives(inline.Directives);
                    Selections(inline.SelectionSet);
                    break;
                case GraphQLFragmentSpread spread:
                    Directives(spread.Directives);
                    break;
            }
        }
    }

    private void Directives(GraphQLDirectives? directives)
    {
        for (var i = 0; i < (directives?.Count ?? 0); i++)
        {
            GuardRefusal.Count(ref _directives, limits.MaxDirectives, ErrorCodes.TooManyDirectives, "directives");
        }
    }
}
