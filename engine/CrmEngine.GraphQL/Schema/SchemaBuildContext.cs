using CrmEngine.Engine.Metadata;
using CrmEngine.GraphQL.Records;
using CrmEngine.GraphQL.Types;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Schema;

/// <summary>Everything one schema build shares between contributors.</summary>
public sealed class SchemaBuildContext(MetadataSnapshot metadata)
{
    public MetadataSnapshot Metadata { get; } = metadata;

    public SharedTypes Types { get; } = new();

    public GraphKinds Kinds => new(Types);

    public ObjectGraphType Query { get; } = new() { Name = "Query" };

    public ObjectGraphType Mutation { get; } = new() { Name = "Mutation" };

    public ObjectGraphType Subscription { get; } = new() { Name = "Subscription" };

    /// <summary>
    /// Adds an admin mutation whose payload carries <c>userErrors</c>: a typed refusal from
    /// <paramref name="change"/> becomes the payload <paramref name="refused"/> makes of its errors.
    /// </summary>
    public void AddAdminMutation<TOutcome>(string name, string description, IGraphType payload, QueryArguments arguments,
        Func<global::GraphQL.IResolveFieldContext, Execution.CrmUserContext, Task<TOutcome>> change, Func<IReadOnlyList<Engine.Errors.CrmError>, TOutcome> refused) =>
        Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description + " Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Execution.Resolve.Async(async (c, crm) =>
            {
                try
                {
                    return await change(c, crm);
                }
                catch (Engine.Errors.CrmException e)
                {
                    return refused(e.Errors);
                }
            }),
        });

    /// <summary>The graph types of each active entity, by entity name.</summary>
    public Dictionary<string, EntityGraphTypes> Entities { get; } = new(StringComparer.Ordinal);

    /// <summary>Types no field reaches but the schema must know (implementations of Node, say).</summary>
    public List<IGraphType> ExtraTypes { get; } = [];
}

/// <summary>The types generated for one entity.</summary>
public sealed class EntityGraphTypes(EntityDefinition entity)
{
    public EntityDefinition Entity { get; } = entity;

    public ObjectGraphType Record { get; } = new() { Name = entity.TypeName };

    public ObjectGraphType Connection { get; } = new() { Name = ApiNames.Connection(entity) };

    public ObjectGraphType Edge { get; } = new() { Name = ApiNames.Edge(entity) };

    public InputObjectGraphType Filter { get; } = new() { Name = ApiNames.Filter(entity) };

    /// <summary>some / none / every over this entity's records, for inverse lists on other entities' filters.</summary>
    public InputObjectGraphType ListFilter { get; } = new() { Name = ApiNames.ListFilter(entity) };

    public InputObjectGraphType OrderBy { get; } = new() { Name = ApiNames.OrderBy(entity) };

    public InputObjectGraphType CreateInput { get; } = new() { Name = ApiNames.CreateInput(entity) };

    public InputObjectGraphType UpdateInput { get; } = new() { Name = ApiNames.UpdateInput(entity) };

    /// <summary>An item of updateMany: id and version beside the update's fields.</summary>
    public InputObjectGraphType UpdateManyInput { get; } = new() { Name = ApiNames.UpdateManyInput(entity) };
}
