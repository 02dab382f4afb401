using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields.Rollups;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.GraphQL.Metadata;

/// <summary>
/// Metadata queries (<c>entities</c>, <c>entity</c>, <c>metadataVersion</c>, <c>metadataChanges</c>)
/// and the admin mutations that define entities and fields. Changes apply online; the schema follows.
/// </summary>
public sealed class MetadataContributor(MetadataService metadata) : ISchemaContributor
{
    public int Order => 30;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var meta = new MetadataTypes(types);
        var name = new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "name" };
        AddQueries(context, types, meta, name);

        AddEntityMutation(context, meta, "createEntity", "Defines a new entity with its table.",
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(meta.CreateEntityInput)) { Name = "input" }),
            (c, store, actor) =>
            {
                var entity = MetadataInput.Entity(c.GetArgument<Dictionary<string, object?>>("input"));
                return (metadata.CreateEntityAsync(store, entity, actor, c.CancellationToken), entity.Name, null);
            });
        AddEntityMutation(context, meta, "updateEntity", "Changes an entity's labels.",
            new QueryArguments(name, new QueryArgument(SharedTypes.NonNull(meta.UpdateEntityInput)) { Name = "input" }),
            (c, store, actor) => (metadata.UpdateEntityAsync(store, c.GetArgument<string>("name"), MetadataInput.EntityUpdate(c.GetArgument<Dictionary<string, object?>>("input")), actor, c.CancellationToken), c.GetArgument<string>("name"), null));
        AddEntityMutation(context, meta, "removeEntity", "Hides an entity and its API; its table and data stay until purgeEntity.",
            new QueryArguments(name),
            (c, store, actor) => (metadata.RemoveEntityAsync(store, c.GetArgument<string>("name"), actor, c.CancellationToken), c.GetArgument<string>("name"), null));
        AddEntityMutation(context, meta, "restoreEntity", "Brings back a removed entity with its data.",
            new QueryArguments(name),
            (c, store, actor) => (metadata.RestoreEntityAsync(store, c.GetArgument<string>("name"), actor, c.CancellationToken), c.GetArgument<string>("name"), null));
        AddEntityMutation(context, meta, "purgeEntity", "Drops a removed entity's table and data for good.",
            new QueryArguments(name),
            (c, store, actor) => (metadata.PurgeEntityAsync(store, c.GetArgument<string>("name"), actor, c.CancellationToken), c.GetArgument<string>("name"), null));

        var entityArg = new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "entity" };
        var fieldArg = new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "field" };
        AddFieldMutation(context, meta, "addField", "Adds a field (a new column) to an entity.",
            new QueryArguments(entityArg, new QueryArgument(SharedTypes.NonNull(meta.FieldInput)) { Name = "input" }),
            (c, store, actor) =>
            {
                var field = MetadataInput.Field(c.GetArgument<Dictionary<string, object?>>("input"));
                return (metadata.AddFieldAsync(store, c.GetArgument<string>("entity"), field, actor, c.CancellationToken), c.GetArgument<string>("entity"), field.Name);
            });
        AddFieldMutation(context, meta, "updateField", "Changes a field's labels, constraints, options or type; existing data must fit a new type.",
            new QueryArguments(entityArg, fieldArg, new QueryArgument(SharedTypes.NonNull(meta.UpdateFieldInput)) { Name = "input" }),
            (c, store, actor) => (metadata.UpdateFieldAsync(store, c.GetArgument<string>("entity"), c.GetArgument<string>("field"),
                MetadataInput.FieldUpdate(c.GetArgument<Dictionary<string, object?>>("input")), actor, c.CancellationToken), c.GetArgument<string>("entity"), c.GetArgument<string>("field")));
        AddFieldMutation(context, meta, "removeField", "Hides a field; its column and data stay until purgeField.",
            new QueryArguments(entityArg, fieldArg),
            (c, store, actor) => (metadata.RemoveFieldAsync(store, c.GetArgument<string>("entity"), c.GetArgument<string>("field"), actor, c.CancellationToken), c.GetArgument<string>("entity"), c.GetArgument<string>("field")));
        AddFieldMutation(context, meta, "restoreField", "Brings back a removed field with its data.",
            new QueryArguments(entityArg, fieldArg),
            (c, store, actor) => (metadata.RestoreFieldAsync(store, c.GetArgument<string>("entity"), c.GetArgument<string>("field"), actor, c.CancellationToken), c.GetArgument<string>("entity"), c.GetArgument<string>("field")));
        AddFieldMutation(context, meta, "purgeField", "Drops a removed field's column and data for good.",
            new QueryArguments(entityArg, fieldArg),
            (c, store, actor) => (metadata.PurgeFieldAsync(store, c.GetArgument<string>("entity"), c.GetArgument<string>("field"), actor, c.CancellationToken), c.GetArgument<string>("entity"), c.GetArgument<string>("field")));
        AddFieldMutation(context, meta, "recomputeRollups", "Recomputes a rollup field of every record from its children (values are kept exact by every write; this puts right one changed behind the engine's back).",
            new QueryArguments(entityArg, fieldArg),
            (c, store, _) => (RollupRecompute.RecomputeAsync(store, c.GetArgument<string>("entity"), c.GetArgument<string>("field"), c.CancellationToken), c.GetArgument<string>("entity"), c.GetArgument<string>("field")));
    }

    private static void AddQueries(SchemaBuildContext context, SharedTypes types, MetadataTypes meta, QueryArgument name)
    {
        context.Query.AddField(new FieldType
        {
            Name = "entities",
            Description = "The tenant's entities.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(meta.EntityDefinitionType)),
            Arguments = new QueryArguments(new QueryArgument(types.Boolean) { Name = "includeRemoved", DefaultValue = false }),
            Resolver = Resolve.Sync(c => c.GetArgument<bool>("includeRemoved") ? c.Crm().Session.Metadata.Entities : c.Crm().Session.Metadata.ActiveEntities.ToList()),
        });
        context.Query.AddField(new FieldType
        {
            Name = "entity",
            Description = "One entity by API name (removed ones too); null when there is none.",
            ResolvedType = meta.EntityDefinitionType,
            Arguments = new QueryArguments(name),
            Resolver = Resolve.Sync(c => c.Crm().Session.Metadata.FindAny(c.GetArgument<string>("name"))),
        });
        context.Query.AddField(new FieldType
        {
            Name = "metadataVersion",
            Description = "Grows with every metadata change; the schema follows it.",
            ResolvedType = SharedTypes.NonNull(types.Int),
            Resolver = Resolve.Sync(c => (int)c.Crm().Session.Metadata.Version),
        });
        context.Query.AddField(new FieldType
        {
            Name = "metadataChanges",
            Description = "The metadata change log, newest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(meta.MetadataChangeType)),
            Arguments = new QueryArguments(new QueryArgument(types.Int) { Name = "first", DefaultValue = 20 }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                await using var db = crm.Session.CreateContext();
                return await db.Set<MetadataChangeRow>().OrderByDescending(m => m.Version).Take(Math.Clamp(c.GetArgument<int>("first"), 1, 500)).ToListAsync(c.CancellationToken);
            }),
        });
    }

    private delegate (Task<MetadataSnapshot> Change, string Entity, string? Field) MetadataChange(IResolveFieldContext context, TenantStore store, Guid actor);

    private static void AddEntityMutation(SchemaBuildContext context, MetadataTypes meta, string name, string description, QueryArguments arguments, MetadataChange change) =>
        AddMutation(context, meta.EntityPayload, name, description, arguments, change);

    private static void AddFieldMutation(SchemaBuildContext context, MetadataTypes meta, string name, string description, QueryArguments arguments, MetadataChange change) =>
        AddMutation(context, meta.FieldPayload, name, description, arguments, change);

    private static void AddMutation(SchemaBuildContext context, ObjectGraphType payload, string name, string description, QueryArguments arguments, MetadataChange change) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description + " Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var session = crm.Session;
                if (!session.Permissions.IsAdmin)
                {
                    return new MetadataOutcome(null, null, session.Metadata.Version, [new CrmError(ErrorCodes.Forbidden, "Changing metadata needs admin rights.")]);
                }

                try
                {
                    var (task, entityName, fieldName) = change(c, session.Store, session.Principal.UserId);
                    var snapshot = await task;
                    var entity = snapshot.FindAny(entityName);
                    return new MetadataOutcome(entity, fieldName is null ? null : entity?.FindAnyField(fieldName), snapshot.Version, []);
                }
                catch (CrmException e)
                {
                    return new MetadataOutcome(null, null, session.Store.Metadata.Version, e.Errors);
                }
            }),
        });
}
