using System.Collections;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;
using GraphQL.Types;

namespace CrmEngine.PluginHost.Schema;

/// <summary>
/// Maps the SDK's <see cref="TypeRef"/>s to graph types within one schema build, and plugin result
/// values to what those graph types resolve. Object and input types are made once per build.
/// </summary>
internal sealed class PluginTypeMapper(SchemaBuildContext context)
{
    private readonly Dictionary<string, IGraphType> _named = new(StringComparer.Ordinal);

    public IGraphType Map(TypeRef type) => type switch
    {
        TypeRef.NonNullType nonNull => new NonNullGraphType(Map(nonNull.Inner)),
        TypeRef.List list => SharedTypes.ListOf(Map(list.Item)),
        TypeRef.Scalar scalar => Scalar(scalar.Name),
        TypeRef.EntityType entity => context.Entities.TryGetValue(entity.Name, out var graph)
            ? graph.Record
            : throw new CrmException(ErrorCodes.UnknownEntity, $"An operation returns entity '{entity.Name}', which this tenant doesn't have."),
        TypeRef.ObjectType obj => Named(obj.Name, () => Object(obj)),
        TypeRef.InputType input => Named(input.Name, () => Input(input)),
        TypeRef.UserIdType => context.Types.Id,
        TypeRef.EnumType enumeration => Named(enumeration.Name, () => Enumeration(enumeration)),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>A plugin's result value as the graph type for <paramref name="type"/> resolves it.</summary>
    public static object? Value(TypeRef type, object? value) => (type, value) switch
    {
        (_, null) => null,
        (TypeRef.NonNullType nonNull, _) => Value(nonNull.Inner, value),
        (TypeRef.List list, IEnumerable items) when value is not string => items.Cast<object?>().Select(v => Value(list.Item, v)).ToList(),
        (TypeRef.EntityType, RecordAdapter record) => record.Record,
        (TypeRef.EntityType, CrmRecord) => throw new InvalidOperationException("Records returned from operations must come from the record API."),
        (TypeRef.Scalar { Name: "ID" }, Guid id) => id.ToString(),
        (TypeRef.UserIdType, Guid id) => GlobalId.Encode(GlobalId.UserType, id),
        _ => value,
    };

    private IGraphType Named(string name, Func<IGraphType> create)
    {
        if (!_named.TryGetValue(name, out var type))
        {
            // Registered before its fields are built, so a type can refer to itself.
            type = create();
            _named[name] = type;
        }

        return type;
    }

    private IGraphType Scalar(string name) => name switch
    {
        "String" => context.Types.String,
        "Int" => context.Types.Int,
        "Long" => context.Types.Long,
        "Decimal" => context.Types.Decimal,
        "Boolean" => context.Types.Boolean,
        "Date" => context.Types.Date,
        "DateTime" => context.Types.DateTime,
        "ID" => context.Types.Id,
        "JSON" => context.Types.Json,
        "Money" => context.Types.Money,
        "MoneyInput" => context.Types.MoneyInput,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown scalar."),
    };

    private ObjectGraphType Object(TypeRef.ObjectType definition)
    {
        var type = new ObjectGraphType { Name = definition.Name };
        _named[definition.Name] = type;
        foreach (var field in definition.Fields)
        {
            type.AddField(new FieldType
            {
                Name = field.Name,
                Description = field.Description,
                ResolvedType = Map(field.Type),
                Resolver = Resolve.Sync(c => Value(field.Type, Member(c.Source, field.Name))),
            });
        }

        return type;
    }

    private EnumerationGraphType Enumeration(TypeRef.EnumType definition)
    {
        var type = new EnumerationGraphType { Name = definition.Name };
        foreach (var value in definition.Values)
        {
            // Values travel as their names, both ways, so plugins see plain strings.
            type.Add(value, value);
        }

        return type;
    }

    private InputObjectGraphType Input(TypeRef.InputType definition)
    {
        var type = new InputObjectGraphType { Name = definition.Name };
        _named[definition.Name] = type;
        foreach (var field in definition.Fields)
        {
            type.AddField(new FieldType { Name = field.Name, Description = field.Description, ResolvedType = Map(field.Type) });
        }

        return type;
    }

    private static object? Member(object? source, string name) => source switch
    {
        IReadOnlyDictionary<string, object?> map => map.GetValueOrDefault(name),
        IDictionary<string, object?> map => map.TryGetValue(name, out var value) ? value : null,
        _ => null,
    };

    /// <summary>Reads an id argument for an entity: a global id or a UUID.</summary>
    public static Guid ReadId(object? value, string entity, string argument) =>
        GlobalId.TryRead(value as string, entity, out var id)
            ? id
            : throw new OperationException(ErrorCodes.InvalidId, $"'{value}' is not the id of a {entity} record.", argument);
}
