using CrmEngine.Engine.Errors;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution.Export;

/// <summary>A column of an export: its header (the response keys from a node down to the value, joined by dots) and that path.</summary>
public sealed record ExportColumn(string Header, IReadOnlyList<string> Path);

/// <summary>
/// A list query made exportable: the client's document with its one list field paged by the export
/// (its own <c>first</c>/<c>after</c>/<c>last</c>/<c>before</c> replaced by two variables, and its
/// <c>pageInfo</c> asked for under a key of the export's own), and the columns its node selection
/// asks for, in order. The document stays the client's otherwise, so it runs through the same
/// validation, guards and rights as at /graphql.
/// </summary>
public sealed class ExportPlan
{
    public const string FirstVariable = "crmExportFirst";
    public const string AfterVariable = "crmExportAfter";
    public const string PageKey = "crmExportPage";
    private static readonly HashSet<string> PagingArguments = ["first", "after", "last", "before"];

    private ExportPlan(GraphQLDocument document, string rootKey, IReadOnlyList<string> nodesPath, IReadOnlyList<ExportColumn> columns)
    {
        Document = document;
        RootKey = rootKey;
        NodesPath = nodesPath;
        Columns = columns;
    }

    /// <summary>The rewritten document (the parsed one, changed in place).</summary>
    public GraphQLDocument Document { get; }

    /// <summary>The response key of the list field.</summary>
    public string RootKey { get; }

    /// <summary>From the list field to its records: ["nodes"], or ["edges", "node"].</summary>
    public IReadOnlyList<string> NodesPath { get; }

    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>Makes the plan, or throws a <see cref="CrmException"/> (BAD_REQUEST) saying what an export needs.</summary>
    public static ExportPlan Make(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = operationName is null
            ? operations.Count == 1 ? operations[0] : throw Refused("The document has several operations: name the one to export with operationName.")
            : operations.FirstOrDefault(o => o.Name?.StringValue == operationName) ?? throw Refused($"The document has no operation named '{operationName}'.");
        if (operation.Operation != OperationType.Query)
        {
            throw Refused("Only a query can be exported.");
        }

        if (operation.SelectionSet.Selections is not [GraphQLField root] || root.SelectionSet is null)
        {
            throw Refused("An export runs a query with exactly one field: a list of records, such as leads(filter: ...) { nodes { name } }.");
        }

        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal);
        var (nodesPath, nodes) = FindNodes(root.SelectionSet, fragments);
        var columns = new List<ExportColumn>();
        AddColumns(nodes, [], fragments, columns, depth: 0);
        if (columns.Count == 0)
        {
            throw Refused("Select at least one field of the records to export.");
        }

        Page(operation, root);
        return new ExportPlan(document, (root.Alias?.Name ?? root.Name).StringValue, nodesPath, columns);
    }

    private static (IReadOnlyList<string> Path, GraphQLSelectionSet Nodes) FindNodes(GraphQLSelectionSet list, Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        var fields = Fields(list, fragments).ToList();
        if (fields.FirstOrDefault(f => f.Name.StringValue == "nodes") is { SelectionSet: { } nodes } named)
        {
            return ([Key(named)], nodes);
        }

        if (fields.FirstOrDefault(f => f.Name.StringValue == "edges") is { SelectionSet: { } edges } edgesField
            && Fields(edges, fragments).FirstOrDefault(f => f.Name.StringValue == "node") is { SelectionSet: { } node } nodeField)
        {
            return ([Key(edgesField), Key(nodeField)], node);
        }

        throw Refused("Select the records to export under nodes { ... } (or edges { node { ... } }) of the list.");
    }

    private static void AddColumns(GraphQLSelectionSet selection, List<string> path, Dictionary<string, GraphQLFragmentDefinition> fragments, List<ExportColumn> columns, int depth)
    {
        foreach (var field in Fields(selection, fragments))
        {
            var key = Key(field);
            List<string> at = [.. path, key];
            if (field.SelectionSet is null)
            {
                var header = string.Join('.', at);
                if (!columns.Any(c => c.Header == header))
                {
                    columns.Add(new ExportColumn(header, at));
                }
            }
            else if (depth < 8)
            {
                AddColumns(field.SelectionSet, at, fragments, columns, depth + 1);
            }
        }
    }

    /// <summary>The fields of a selection, fragments (named and inline) opened in place.</summary>
    private static IEnumerable<GraphQLField> Fields(GraphQLSelectionSet selection, Dictionary<string, GraphQLFragmentDefinition> fragments, int depth = 0)
    {
        foreach (var node in selection.Selections)
        {
            switch (node)
            {
                case GraphQLField field:
                    yield return field;
                    break;
                case GraphQLInlineFragment inline when depth < 8:
                    foreach (var inner in Fields(inline.SelectionSet, fragments, depth + 1))
                    {
                        yield return inner;
                    }

                    break;
                case GraphQLFragmentSpread spread when depth < 8 && fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment):
                    foreach (var inner in Fields(fragment.SelectionSet, fragments, depth + 1))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }

    /// <summary>The list field pages by the export's variables and answers its page info under the export's key.</summary>
    private static void Page(GraphQLOperationDefinition operation, GraphQLField root)
    {
        var arguments = root.Arguments?.Items.Where(a => !PagingArguments.Contains(a.Name.StringValue)).ToList() ?? [];
        arguments.Add(new GraphQLArgument(new GraphQLName("first"), new GraphQLVariable(new GraphQLName(FirstVariable))));
        arguments.Add(new GraphQLArgument(new GraphQLName("after"), new GraphQLVariable(new GraphQLName(AfterVariable))));
        root.Arguments = new GraphQLArguments(arguments);
        var variables = operation.Variables?.Items ?? [];
        variables.RemoveAll(v => v.Variable.Name.StringValue is FirstVariable or AfterVariable);
        variables.Add(new GraphQLVariableDefinition(new GraphQLVariable(new GraphQLName(FirstVariable)), new GraphQLNamedType(new GraphQLName("Int"))));
        variables.Add(new GraphQLVariableDefinition(new GraphQLVariable(new GraphQLName(AfterVariable)), new GraphQLNamedType(new GraphQLName("String"))));
        operation.Variables = new GraphQLVariablesDefinition(variables);
        var pageInfo = new GraphQLField(new GraphQLName("pageInfo"))
        {
            Alias = new GraphQLAlias(new GraphQLName(PageKey)),
            SelectionSet = new GraphQLSelectionSet([new GraphQLField(new GraphQLName("hasNextPage")), new GraphQLField(new GraphQLName("endCursor"))]),
        };
        root.SelectionSet!.Selections.Add(pageInfo);
    }

    private static string Key(GraphQLField field) => (field.Alias?.Name ?? field.Name).StringValue;

    private static CrmException Refused(string message) => new(ErrorCodes.BadRequest, message);
}
