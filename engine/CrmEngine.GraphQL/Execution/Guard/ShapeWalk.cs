using CrmEngine.Engine.Errors;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// Walks each operation as validation and execution will, fragments expanded where they are spread:
/// depth, fields, and the pairs validation compares to check that selections merge. Depends on the
/// document alone. Stops at the first limit crossed, so even a fragment bomb costs at most the limits.
/// </summary>
internal sealed class ShapeWalk(GraphQLDocument document, QueryLimits limits)
{
    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = Fragments.Of(document);
    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
    /// <summary>
    /// Measured with graphql-dotnet 8.8: comparing two identical leaves costs about a fiftieth of
    /// comparing two selections that differ or have sub-selections (which may conflict and recurse).
    /// </summary>
    private const int IdenticalLeavesPerPair = 50;

    private int _fields;
    private long _pairParts;

    /// <summary>Fields once fragments are expanded.</summary>
    public int Fields => _fields;

    /// <summary>Pairs of selections the merge check compares, identical leaves weighed at a fiftieth.</summary>
    public int MergePairs => (int)(_pairParts / IdenticalLeavesPerPair);

    public void Run()
    {
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition operation)
            {
                Visit(operation.SelectionSet, 0, new MergeSet());
            }
        }
    }

    /// <param name="set">The selections as written.</param>
    /// <param name="depth">Fields above them.</param>
    /// <param name="merged">The level they merge into (fields of inline fragments and spread fragments join their parent's).</param>
    /// <param name="sideBySide">Fragments spread directly in this written set, inline fragments included: the merge check compares those in pairs.</param>
    private void Visit(GraphQLSelectionSet? set, int depth, MergeSet merged, SideBySide? sideBySide = null)
    {
        sideBySide ??= new SideBySide();
        foreach (var selection in set?.Selections ?? [])
        {
            switch (selection)
            {
                case GraphQLField field:
                    if (depth + 1 > limits.MaxDepth)
                    {
                        throw new GuardRefusal(ErrorCodes.QueryTooDeep,
                            $"The query nests fields more than {limits.MaxDepth} levels deep, the most one request may. Ask for less at once, or follow relations in a second request.");
                    }

                    GuardRefusal.Count(ref _fields, limits.MaxFields, ErrorCodes.TooManyFields, "fields once its fragments are expanded");
                    var (differing, identical) = merged.AddField((field.Alias?.Name ?? field.Name).StringValue, field.SelectionSet is null ? LeafSignature(field) : null);
                    Pairs(differing, identical);
                    if (field.SelectionSet is not null)
                    {
                        Visit(field.SelectionSet, depth + 1, new MergeSet());
                    }

                    break;
                case GraphQLInlineFragment inline:
                    Visit(inline.SelectionSet, depth, merged, sideBySide);
                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    Pairs(sideBySide.Add(name), 0);
                    // A fragment spread again into the same level adds nothing (validation and
                    // execution take each once); a cycle is left to validation, which names it.
                    if (merged.Expand(name) && _fragments.TryGetValue(name, out var fragment) && _expanding.Add(name))
                    {
                        Visit(fragment.SelectionSet, depth, merged);
                        _expanding.Remove(name);
                    }

                    break;
            }
        }
    }

    private void Pairs(int differing, int identical)
    {
        _pairParts += ((long)differing * IdenticalLeavesPerPair) + identical;
        if (_pairParts > (long)limits.MaxMergePairs * IdenticalLeavesPerPair)
        {
            throw new GuardRefusal(ErrorCodes.TooManyRepeatedSelections,
                $"The query selects the same response names or spreads fragments side by side so often that checking they merge takes more than {limits.MaxMergePairs} comparisons. Select each field once per level.");
        }
    }

    /// <summary>
    /// A leaf field's name and arguments as written (what the merge check compares): two leaves with
    /// the same text merge without a real comparison. Null, so that it counts as differing from every
    /// other, in a document parsed without positions (<see cref="DocumentParsing.LocatedChars"/>).
    /// </summary>
    private string? LeafSignature(GraphQLField field)
    {
        if (field.Name.Location.End == 0)
        {
            return null;
        }

        var source = document.Source.Span;
        var end = field.Arguments?.Location.End ?? field.Name.Location.End;
        return source[field.Name.Location.Start..Math.Max(field.Name.Location.Start, end)].ToString();
    }

    /// <summary>The selections of one level, merged across inline fragments and spreads, as the merge check groups them.</summary>
    private sealed class MergeSet
    {
        private Dictionary<string, Group>? _groups;
        private HashSet<string>? _expanded;

        /// <summary>
        /// Adds a field and returns the new pairs the merge check will compare, one with each earlier
        /// selection of the response name: those that differ from it, and those that are the same leaf.
        /// </summary>
        public (int Differing, int Identical) AddField(string responseName, string? leafSignature)
        {
            _groups ??= new Dictionary<string, Group>(StringComparer.Ordinal);
            if (!_groups.TryGetValue(responseName, out var group))
            {
                _groups[responseName] = group = new Group();
            }

            var identical = leafSignature is null ? 0 : group.Leaves.GetValueOrDefault(leafSignature);
            var differing = group.Count - identical;
            group.Count++;
            if (leafSignature is not null)
            {
                group.Leaves[leafSignature] = identical + 1;
            }

            return (differing, identical);
        }

        /// <summary>True the first time a fragment is spread into this level.</summary>
        public bool Expand(string fragment) => (_expanded ??= new HashSet<string>(StringComparer.Ordinal)).Add(fragment);

        private sealed class Group
        {
            // Selections of the response name so far, and how many of them are each identical leaf.
            public int Count;
            public readonly Dictionary<string, int> Leaves = new(StringComparer.Ordinal);
        }
    }

    /// <summary>The fragments spread side by side in one written selection set.</summary>
    private sealed class SideBySide
    {
        private HashSet<string>? _fragments;

        /// <summary>Adds a spread and returns the new pairs of fragments it forms (none when it is there already).</summary>
        public int Add(string fragment)
        {
            _fragments ??= new HashSet<string>(StringComparer.Ordinal);
            return _fragments.Add(fragment) ? _fragments.Count - 1 : 0;
        }
    }
}
