using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution.Guard;

internal static class Fragments
{
    /// <summary>A document's fragments by name; of duplicates (which validation refuses) the first.</summary>
    public static Dictionary<string, GraphQLFragmentDefinition> Of(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLFragmentDefinition fragment)
            {
                fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
            }
        }

        return fragments;
    }
}
