using GraphQL;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// Reads which fields a query selects below the current one (through fragments), for resolvers that
/// must plan one database query for a whole subtree, such as aggregates.
/// </summary>
public static class Selections
{
    /// <summary>The names selected at <paramref name="path"/> below the current field (empty path: its direct children).</summary>
    public static IReadOnlySet<string> Names(IResolveFieldContext context, params string[] path)
    {
        var fragments = context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
            .ToDictionary(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal);
        IEnumerable<GraphQLField> level = [context.FieldAst];
        foreach (var step in path)
        {
            level = level.SelectMany(f => Children(f.SelectionSet, fragments)).Where(f => f.Name.StringValue == step).ToList();
        }

        return level.SelectMany(f => Children(f.SelectionSet, fragments)).Select(f => f.Name.StringValue).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<GraphQLField> Children(GraphQLSelectionSet? set, Dictionary<string, GraphQLFragmentDefinition> fragments, int depth = 0)
    {
        if (set is null || depth > 16)
        {
            yield break;
        }

        foreach (var selection in set.Selections)
        {
            var nested = selection switch
            {
                GraphQLField field => [field],
                GraphQLInlineFragment inline => Children(inline.SelectionSet, fragments, depth + 1),
                GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) => Children(fragment.SelectionSet, fragments, depth + 1),
                _ => [],
            };
            foreach (var field in nested)
            {
                yield return field;
            }
        }
    }
}
