using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CrmEngine.GraphQL.Execution.Writing;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// graphql-dotnet's serial strategy with shortcuts for what pages of records are made of, which is
/// hundreds of fields per request:
/// <list type="bullet">
/// <item>the fields an object selects are collected once per selection set and type, not once per object;</item>
/// <item>fields whose resolver reads only the parent value (<see cref="SourceResolver"/>) run without a field context;</item>
/// <item>a field of that kind whose subtree is made only of such fields (a page's edges, a record's money)
/// is written straight to JSON (<see cref="SelectionWriter"/>) instead of executing node by node.</item>
/// </list>
/// Whatever is unusual (directives, duplicate keys, errors, nulls in non-null places) takes the
/// base strategy's path, so results, errors and null propagation are the same either way.
/// </summary>
public sealed class CrmExecutionStrategy(JsonSerializerOptions json) : SerialExecutionStrategy
{
    // Selection sets belong to parsed documents, which are cached per schema: what is compiled
    // from them lives as long as their document does.
    private static readonly ConditionalWeakTable<GraphQLSelectionSet, ConcurrentDictionary<IGraphType, Compiled>> Cache = new();

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _output;

    protected override Task ExecuteNodeAsync(ExecutionContext context, ExecutionNode node)
    {
        if (node.FieldDefinition?.Resolver is not SourceResolver resolver || node is RootExecutionNode || node.Parent is ArrayExecutionNode)
        {
            return base.ExecuteNodeAsync(context, node);
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        if (node is WrittenNode written)
        {
            return TryWrite(context, written, resolver) ? Task.CompletedTask : ExecuteNodeAsync(context, written.FallBack());
        }

        try
        {
            node.Result = resolver.Read(node.Source!);
        }
        catch (ExecutionError error)
        {
            SetNodeError(context, node, error);
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return UnhandledAsync(context, node, e);
        }

        // Serializes values, checks non-null and builds child nodes, with the base strategy's error handling.
        return CompleteNodeAsync(context, node);
    }

    protected override void SetSubFieldNodes(ExecutionContext context, ObjectExecutionNode parent)
    {
        var type = parent.GetObjectGraphType(context.Schema) ?? parent.GraphType;
        if (parent.SelectionSet is not { } selection || Get(context, selection, type).Fields is not { } fields)
        {
            base.SetSubFieldNodes(context, parent);
            return;
        }

        var nodes = new ExecutionNode[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            var node = BuildExecutionNode(parent, field.Definition.ResolvedType!, field.Field, field.Definition);
            nodes[i] = field.Written is { } shape ? new WrittenNode(node, shape) : node;
        }

        parent.SubFields = nodes;
    }

    private bool TryWrite(ExecutionContext context, WrittenNode node, SourceResolver resolver)
    {
        object? value;
        try
        {
            value = resolver.Read(node.Source!);
        }
        catch (Exception)
        {
            return false;
        }

        var (buffer, writer) = _output ??= Output();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        var writers = new Writers(context, json, (c, s, t) => Get(c, s, t).Writer(c, this));
        if (!SelectionWriter.TryWriteValue(writer, value, node.Shape, writers))
        {
            return false;
        }

        writer.Flush();
        node.Result = value is null ? null : new JsonFragment(buffer.WrittenSpan.ToArray());
        return true;
    }

    private (ArrayBufferWriter<byte>, Utf8JsonWriter) Output()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        return (buffer, new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = json.Encoder, SkipValidation = true }));
    }

    private async Task UnhandledAsync(ExecutionContext context, ExecutionNode node, Exception exception)
    {
        if (await ProcessNodeUnhandledExceptionAsync(context, node, exception))
        {
            throw exception;
        }
    }

    private Compiled Get(ExecutionContext context, GraphQLSelectionSet selection, IGraphType type) =>
        Cache.GetValue(selection, _ => new ConcurrentDictionary<IGraphType, Compiled>())
            .GetOrAdd(type, t => new Compiled(t, Collect(context, t.GetNamedType(), selection)));

    /// <summary>The fields a selection set selects on a type, or null where the base strategy must decide (directives, merged duplicates).</summary>
    private CollectedField[]? Collect(ExecutionContext context, IGraphType type, GraphQLSelectionSet selection)
    {
        var fields = new List<CollectedField>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (!Visit(selection, 0))
        {
            return null;
        }

        // Fields written in one go: source-only fields of composite (or list) type whose subtree compiles.
        return fields.Select(f => f.Definition.Resolver is SourceResolver && f.Definition.Arguments is not { Count: > 0 }
                && OutputShape.Of(f.Definition.ResolvedType!, f.Field.SelectionSet) is { } shape && Innermost(shape).Scalar is null && Compiles(context, shape)
            ? f with { Written = shape }
            : f).ToArray();

        bool Visit(GraphQLSelectionSet set, int depth)
        {
            if (depth > 32)
            {
                return false;
            }

            foreach (var item in set.Selections)
            {
                if (item is IHasDirectivesNode { Directives.Count: > 0 })
                {
                    return false;
                }

                switch (item)
                {
                    case GraphQLField field:
                        var definition = GetFieldDefinition(context.Schema, (type as IComplexGraphType)!, field);
                        var key = field.Alias?.Name.StringValue ?? definition?.Name;
                        // A key selected twice has its sub-selections merged, per request: left to the base strategy.
                        if (definition is null || !keys.Add(key!))
                        {
                            return false;
                        }

                        fields.Add(new CollectedField(field, definition, key!, null));
                        break;
                    case GraphQLInlineFragment inline:
                        if (Applies(inline.TypeCondition?.Type.Name.StringValue) && !Visit(inline.SelectionSet, depth + 1))
                        {
                            return false;
                        }

                        break;
                    case GraphQLFragmentSpread spread:
                        var fragment = context.Document.FindFragmentDefinition(spread.FragmentName.Name);
                        if (fragment is null || fragment.Directives?.Count > 0)
                        {
                            return false;
                        }

                        if (Applies(fragment.TypeCondition.Type.Name.StringValue) && !Visit(fragment.SelectionSet, depth + 1))
                        {
                            return false;
                        }

                        break;
                    default:
                        return false;
                }
            }

            return true;
        }

        bool Applies(string? condition) => condition is null || DoesFragmentConditionMatch(context, condition, type);
    }

    /// <summary>Whether values of a composite shape can be written: concrete object types must compile; abstract ones are tried when met.</summary>
    private bool Compiles(ExecutionContext context, OutputShape shape)
    {
        var innermost = Innermost(shape);
        return innermost.Composite is not IObjectGraphType objectType || Get(context, innermost.Selection!, objectType).Writer(context, this) is not null;
    }

    private static OutputShape Innermost(OutputShape shape) => shape.Item is { } item ? Innermost(item) : shape;

    private SelectionWriter? CompileWriter(ExecutionContext context, IObjectGraphType type, CollectedField[]? fields)
    {
        if (fields is null)
        {
            return null;
        }

        var entries = new List<SelectionWriter.Entry>(fields.Length);
        foreach (var field in fields)
        {
            var key = JsonEncodedText.Encode(field.Key, json.Encoder);
            if (ReferenceEquals(field.Definition, context.Schema.TypeNameMetaFieldType))
            {
                entries.Add(new SelectionWriter.Entry(key, null, null));
                continue;
            }

            if (field.Definition.Resolver is not SourceResolver read || field.Definition.Arguments is { Count: > 0 }
                || OutputShape.Of(field.Definition.ResolvedType!, field.Field.SelectionSet) is not { } shape || !Compiles(context, shape))
            {
                return null;
            }

            entries.Add(new SelectionWriter.Entry(key, read, shape));
        }

        return new SelectionWriter(type, [.. entries]);
    }

    private sealed record CollectedField(GraphQLField Field, FieldType Definition, string Key, OutputShape? Written);

    /// <summary>What one selection set compiles to on one type: its fields, and (on first use) its JSON writer.</summary>
    private sealed class Compiled(IGraphType type, CollectedField[]? fields)
    {
        private SelectionWriter? _writer;
        private volatile bool _compiled;

        public CollectedField[]? Fields { get; } = fields;

        /// <summary>Compiled once; two threads racing compile equal writers, and either is kept.</summary>
        public SelectionWriter? Writer(ExecutionContext context, CrmExecutionStrategy strategy)
        {
            if (!_compiled)
            {
                _writer = type.GetNamedType() is IObjectGraphType objectType ? strategy.CompileWriter(context, objectType, Fields) : null;
                _compiled = true;
            }

            return _writer;
        }
    }
}
