using System.Collections;
using System.Text.Json;
using GraphQL.DataLoader;
using GraphQL.Types;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace CrmEngine.GraphQL.Execution.Writing;

/// <summary>
/// How one output type is written: a scalar through its graph type's Serialize, an object through
/// the writer of its selection set, a list item by item; with its non-null rule.
/// </summary>
internal sealed record OutputShape(bool NonNull, ScalarGraphType? Scalar, IGraphType? Composite, GraphQLSelectionSet? Selection, OutputShape? Item)
{
    /// <summary>The shape of <paramref name="type"/> selected with <paramref name="selection"/>, or null when it is not a plain output type.</summary>
    public static OutputShape? Of(IGraphType type, GraphQLSelectionSet? selection)
    {
        var nonNull = type is NonNullGraphType;
        var inner = type is NonNullGraphType wrapper ? wrapper.ResolvedType! : type;
        return inner switch
        {
            ListGraphType list when Of(list.ResolvedType!, selection) is { } item => new OutputShape(nonNull, null, null, null, item),
            ScalarGraphType scalar when selection is null => new OutputShape(nonNull, scalar, null, null, null),
            IObjectGraphType or IAbstractGraphType when selection is not null => new OutputShape(nonNull, null, inner, selection, null),
            _ => null,
        };
    }
}

/// <summary>
/// A selection set on one object type, compiled to write straight to JSON: each response key with
/// the source-only resolver that reads it (<see cref="SourceResolver"/>) and the shape of its value.
/// Writing gives up (returns false) on anything the standard execution must report: an error, a null
/// for a non-null field, a value of the wrong kind. The caller then executes the field the usual way,
/// which produces the error, its path and the null propagation exactly as GraphQL prescribes.
/// </summary>
internal sealed class SelectionWriter(IObjectGraphType type, SelectionWriter.Entry[] entries)
{
    internal sealed record Entry(JsonEncodedText Key, SourceResolver? Read, OutputShape? Shape);

    /// <summary>Writes <paramref name="source"/>'s selected fields as a JSON object.</summary>
    public bool TryWrite(Utf8JsonWriter writer, object source, Writers writers)
    {
        writer.WriteStartObject();
        foreach (var entry in entries)
        {
            writer.WritePropertyName(entry.Key);
            if (entry.Read is null)
            {
                writer.WriteStringValue(type.Name);
                continue;
            }

            object? value;
            try
            {
                value = entry.Read.Read(source);
            }
            catch (Exception)
            {
                return false;
            }

            if (!TryWriteValue(writer, value, entry.Shape!, writers))
            {
                return false;
            }
        }

        writer.WriteEndObject();
        return true;
    }

    public static bool TryWriteValue(Utf8JsonWriter writer, object? value, OutputShape shape, Writers writers)
    {
        if (value is IDataLoaderResult)
        {
            return false;
        }

        if (value is null)
        {
            if (shape.NonNull)
            {
                return false;
            }

            writer.WriteNullValue();
            return true;
        }

        if (shape.Scalar is { } scalar)
        {
            object? serialized;
            try
            {
                serialized = scalar.Serialize(value);
            }
            catch (Exception)
            {
                return false;
            }

            if (serialized is null)
            {
                return TryWriteValue(writer, null, shape, writers);
            }

            Engine.Records.JsonValues.Write(writer, serialized, writers.Json);
            return true;
        }

        if (shape.Item is { } item)
        {
            if (value is not IEnumerable items || value is string)
            {
                return false;
            }

            writer.WriteStartArray();
            foreach (var element in items)
            {
                if (!TryWriteValue(writer, element, item, writers))
                {
                    return false;
                }
            }

            writer.WriteEndArray();
            return true;
        }

        return writers.For(shape, value) is { } nested && nested.TryWrite(writer, value, writers);
    }
}

/// <summary>The compiled writers of one execution: finds the one for an object value of a shape.</summary>
internal sealed class Writers(ExecutionContext context, JsonSerializerOptions json, Func<ExecutionContext, GraphQLSelectionSet, IObjectGraphType, SelectionWriter?> compile)
{
    public JsonSerializerOptions Json { get; } = json;

    /// <summary>The writer for <paramref name="value"/> as <paramref name="shape"/>'s type (resolving interfaces and unions), or null.</summary>
    public SelectionWriter? For(OutputShape shape, object value)
    {
        var objectType = shape.Composite as IObjectGraphType;
        if (shape.Composite is IAbstractGraphType abstractType)
        {
            objectType = abstractType.GetObjectType(value, context.Schema);
            if (objectType is null || !abstractType.IsPossibleType(objectType))
            {
                return null;
            }
        }

        if (objectType is null || (objectType.IsTypeOf is { } isTypeOf && !objectType.SkipTypeCheck && !isTypeOf(value)))
        {
            return null;
        }

        return compile(context, shape.Selection!, objectType);
    }
}
