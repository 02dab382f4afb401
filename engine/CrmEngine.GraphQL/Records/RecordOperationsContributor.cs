using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// Per entity: <c>lead(id)</c>, <c>leads(filter, first, after, last, before)</c> and the
/// create/update/delete/restore mutations, whose payloads carry the record and userErrors.
/// Plus <c>node</c>, <c>nodes</c> and <c>auditTrail</c>, which work across entities.
/// </summary>
public sealed class RecordOperationsContributor(RecordReader reader, RecordPipeline pipeline, AuditTrail audit, IdentityDirectory directory) : ISchemaContributor
{
    public int Order => 10;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        foreach (var graph in context.Entities.Values)
        {
            AddQueries(context, graph, types);
            AddMutations(context, graph, types);
        }

        AddNodeQueries(context, types);
    }

    private void AddQueries(SchemaBuildContext context, EntityGraphTypes graph, SharedTypes types)
    {
        var entity = graph.Entity;
        context.Query.AddField(new FieldType
        {
            Name = entity.Name,
            Description = $"One {entity.Name} by id (global id or UUID); null when there is none.",
            ResolvedType = graph.Record,
            Arguments = new QueryArguments(
                new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" },
                new QueryArgument(types.Boolean) { Name = "deleted", DefaultValue = false, Description = "Also find a deleted record." }),
            Resolver = Resolve.Async(async (c, crm) => crm.Session.Permissions.Scope(entity.Name, RecordAction.Read) == AccessScope.None
                ? throw new CrmException(ErrorCodes.Forbidden, $"You have no right to read {entity.Name} records.")
                : await reader.GetAsync(crm.Session, entity.Name, GraphKinds.ReadId(c.GetArgument<string>("id"), entity.Name, "id"), c.GetArgument<bool>("deleted"), c.CancellationToken)),
        });

        var arguments = RecordTypesContributor.ListArguments(graph, types);
        arguments.Add(new QueryArgument(types.DeletedRecords) { Name = "deleted", DefaultValue = DeletedRecords.Exclude });
        context.Query.AddField(new FieldType
        {
            Name = ApiNames.ListField(entity),
            Description = $"{Naming.Humanize(entity.PluralName)}, a page at a time (Relay cursor connection).",
            ResolvedType = SharedTypes.NonNull(graph.Connection),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var query = RecordTypesContributor.ReadListArguments(c, entity) with { Deleted = c.GetArgument<DeletedRecords>("deleted") };
                return new ConnectionData(await reader.ListAsync(crm.Session, query, c.CancellationToken));
            }),
        });
    }

    private void AddMutations(SchemaBuildContext context, EntityGraphTypes graph, SharedTypes types)
    {
        var entity = graph.Entity;
        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" };
        var version = new QueryArgument(types.Int) { Name = "version", Description = "The version you read; the write is refused with VERSION_CONFLICT if the record has moved on." };

        AddMutation(context, graph, ApiNames.Create(entity), $"Creates a {entity.Name}.",
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.CreateInput)) { Name = "input" }, types.AllowDuplicatesArgument()),
            (c, crm) => pipeline.CreateAsync(crm.Session, entity.Name, ReadInput(entity, c), c.CancellationToken), checksDuplicates: true);
        AddMutation(context, graph, ApiNames.Update(entity), $"Changes some fields of a {entity.Name}.",
            new QueryArguments(id, version, new QueryArgument(SharedTypes.NonNull(graph.UpdateInput)) { Name = "input" }, types.AllowDuplicatesArgument()),
            (c, crm) => pipeline.UpdateAsync(crm.Session, entity.Name, RecordId(c, entity), Version(c), ReadInput(entity, c), c.CancellationToken), checksDuplicates: true);
        AddMutation(context, graph, ApiNames.Delete(entity), $"Deletes a {entity.Name}; {ApiNames.Restore(entity)} brings it back.",
            new QueryArguments(id, version),
            (c, crm) => pipeline.DeleteAsync(crm.Session, entity.Name, RecordId(c, entity), Version(c), c.CancellationToken),
            deletes: true);
        AddMutation(context, graph, ApiNames.Restore(entity), $"Restores a deleted {entity.Name}.",
            new QueryArguments(id, version),
            (c, crm) => pipeline.RestoreAsync(crm.Session, entity.Name, RecordId(c, entity), Version(c), c.CancellationToken));
    }

    private void AddMutation(SchemaBuildContext context, EntityGraphTypes graph, string name, string description, QueryArguments arguments,
        Func<IResolveFieldContext, CrmUserContext, Task<WriteResult>> write, bool deletes = false, bool checksDuplicates = false)
    {
        var types = context.Types;
        var payload = new ObjectGraphType { Name = ApiNames.Payload(name) };
        payload.AddField(new FieldType { Name = graph.Entity.Name, ResolvedType = graph.Record, Resolver = Resolve.Sync(c => ((MutationOutcome)c.Source!).Record) });
        if (deletes)
        {
            payload.AddField(new FieldType { Name = "deletedId", ResolvedType = types.Id, Resolver = Resolve.Sync(c => ((MutationOutcome)c.Source!).DeletedId) });
        }

        payload.AddField(new FieldType { Name = "userErrors", ResolvedType = types.UserErrors, Resolver = Resolve.Sync(c => ((MutationOutcome)c.Source!).Errors) });
        if (checksDuplicates)
        {
            payload.AddField(new FieldType
            {
                Name = "duplicates",
                Description = "The duplicate rules the write matched: warnings when it went through (acknowledge them with allowDuplicates: true), the blocking rule when it was refused with DUPLICATE_RECORD.",
                ResolvedType = types.DuplicateMatches,
                Resolver = Resolve.FromSource(s => ((MutationOutcome)s).Duplicates),
            });
        }

        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description,
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    if (checksDuplicates && c.GetArgument<bool>("allowDuplicates"))
                    {
                        DuplicateAcknowledgement.Give();
                    }

                    var result = await write(c, crm);
                    if (result.Errors.FirstOrDefault(e => e.Code == ErrorCodes.Forbidden) is { } denied)
                    {
                        await directory.LogAsync(crm.Session.Store, crm.Session.Principal.UserId, crm.Session.Principal.KeyId, "access_denied", $"{name}: {denied.Message}", c.CancellationToken);
                    }

                    var deletedId = deletes && result.Record is { } r ? GlobalId.Encode(graph.Entity.Name, r.Id) : null;
                    return new MutationOutcome(result.Record, result.Errors, deletedId) { Duplicates = result.Duplicates };
                }
                catch (CrmException e)
                {
                    return new MutationOutcome(null, e.Errors);
                }
            }),
        });
    }

    private void AddNodeQueries(SchemaBuildContext context, SharedTypes types)
    {
        context.Query.AddField(new FieldType
        {
            Name = "node",
            Description = "Any record by its global id (Relay); null when there is none.",
            ResolvedType = types.Node,
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) => await FindNodeAsync(crm, c.GetArgument<string>("id"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "nodes",
            Description = "Records by global id, in the order asked; null where there is none.",
            ResolvedType = SharedTypes.NonNull(new ListGraphType(types.Node)),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(SharedTypes.ListOf(types.Id))) { Name = "ids" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var ids = c.GetArgument<List<string>>("ids");
                if (ids.Count > 100)
                {
                    throw new CrmException(ErrorCodes.PageSizeExceeded, "nodes takes at most 100 ids.", "ids");
                }

                // One query per entity, however many ids.
                var decoded = ids.Select(id => DecodeNode(crm, id)).ToList();
                var found = new Dictionary<(string, Guid), RecordData>();
                foreach (var group in decoded.Where(d => d.Entity is not null).GroupBy(d => d.Entity!.Name))
                {
                    foreach (var (id, record) in await reader.GetManyAsync(crm.Session, group.Key, group.Select(d => d.Id).ToList(), c.CancellationToken))
                    {
                        found[(group.Key, id)] = record;
                    }
                }

                return decoded.Select(d => d.Entity is null ? null : found.GetValueOrDefault((d.Entity.Name, d.Id))).ToList();
            }),
        });
        context.Query.AddField(new FieldType
        {
            Name = "auditTrail",
            Description = "The audit trail of any record by global id, deleted or not, newest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(types.AuditEntry)),
            Arguments = new QueryArguments(
                new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 50 }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var (entity, id) = DecodeNode(crm, c.GetArgument<string>("id"));
                return entity is null ? Array.Empty<AuditEntry>() : await audit.ForRecordAsync(crm.Session, entity.Name, id, c.GetArgument<int>("first"), c.CancellationToken);
            }),
        });
    }

    private async Task<RecordData?> FindNodeAsync(CrmUserContext crm, string globalId, CancellationToken cancellationToken)
    {
        var (entity, id) = DecodeNode(crm, globalId);
        return entity is null ? null : await reader.GetAsync(crm.Session, entity.Name, id, includeDeleted: false, cancellationToken);
    }

    private static (EntityDefinition? Entity, Guid Id) DecodeNode(CrmUserContext crm, string globalId)
    {
        if (!GlobalId.TryDecode(globalId, out var name, out var id))
        {
            throw new CrmException(ErrorCodes.InvalidId, $"'{globalId}' is not a global id.", "id");
        }

        return (crm.Session.Metadata.Find(name), id);
    }

    private static Dictionary<string, object?> ReadInput(EntityDefinition entity, IResolveFieldContext context) =>
        ReadInput(entity, context.GetArgument<Dictionary<string, object?>>("input"));

    /// <summary>A record input in engine form: field names, UUIDs for ids; members that are no field are left for the pipeline to refuse.</summary>
    internal static Dictionary<string, object?> ReadInput(EntityDefinition entity, IEnumerable<KeyValuePair<string, object?>> input)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (member, value) in input)
        {
            if (member == "ownerId")
            {
                values[SystemFields.OwnerId] = value is null ? null : GraphKinds.ReadId(value as string, GlobalId.UserType, member);
                continue;
            }

            var field = entity.ActiveFields.FirstOrDefault(f => GraphKinds.InputName(f) == member);
            if (field is null)
            {
                values[member] = value;
                continue;
            }

            values[field.Name] = GraphKinds.ToEngine(field, value);
        }

        return values;
    }

    private static Guid RecordId(IResolveFieldContext context, EntityDefinition entity) => GraphKinds.ReadId(context.GetArgument<string>("id"), entity.Name, "id");

    private static long? Version(IResolveFieldContext context) => context.GetArgument<int?>("version");
}
