using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Merging;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Sdk.Records;
using GraphQL;
using GraphQL.Types;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// Generates each active entity's types: the record type (a Node) with system fields, fields,
/// lookups and inverse lists; its connection and edge; its filter; its create and update inputs.
/// </summary>
public sealed class RecordTypesContributor(RecordReader reader, AuditTrail audit) : ISchemaContributor
{
    public int Order => 0;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        foreach (var entity in context.Metadata.ActiveEntities)
        {
            context.Entities[entity.Name] = new EntityGraphTypes(entity);
        }

        types.Node.ResolveType = source => source is RecordData record && context.Entities.TryGetValue(record.Entity.Name, out var t) ? t.Record : null;
        foreach (var graph in context.Entities.Values)
        {
            var entity = graph.Entity;
            graph.Record.Description = Describe(entity.Labels, entity.Descriptions);
            AddSystemFields(graph.Record, entity, types);
            graph.Record.AddResolvedInterface(types.Node);
            types.Node.AddPossibleType(graph.Record);
            context.ExtraTypes.Add(graph.Record);
            AddFields(graph, context);
            AddInverseLists(graph, context);
            AddHistory(graph.Record, entity, types);
            BuildConnection(graph, types);
            BuildFilter(graph, context);
            OrderByInput.Build(graph, context);
            BuildInputs(graph, context);
        }
    }

    /// <summary>The arguments of every list of records: filter, order and Relay paging.</summary>
    public static QueryArguments ListArguments(EntityGraphTypes graph, SharedTypes types) => new(
        new QueryArgument(graph.Filter) { Name = "filter" },
        new QueryArgument(SharedTypes.ListOf(graph.OrderBy)) { Name = "orderBy", Description = "Sort keys, most significant first, one member per item: [{ createdAt: DESC }, { account: { name: ASC } }]. Ties are broken by id." },
        new QueryArgument(types.Int) { Name = "first", Description = "Up to this many records from the start (or after `after`)." },
        new QueryArgument(types.String) { Name = "after" },
        new QueryArgument(types.Int) { Name = "last", Description = "Up to this many records from the end (or before `before`)." },
        new QueryArgument(types.String) { Name = "before" });

    /// <summary>Reads list arguments into a query; totalCount is only counted when selected.</summary>
    public static RecordQuery ReadListArguments(IResolveFieldContext context, EntityDefinition entity, Condition? scope = null)
    {
        var metadata = context.Crm().Session.Metadata;
        var filter = FilterInput.Read(metadata, entity, context.GetArgument<Dictionary<string, object?>?>("filter"));
        return new RecordQuery(entity.Name)
        {
            Filter = scope is null ? filter : filter is null ? scope : new Condition.AllOf([scope, filter]),
            OrderBy = OrderByInput.Read(entity, metadata, context.GetArgument<List<object?>?>("orderBy")),
            First = context.GetArgument<int?>("first"),
            After = context.GetArgument<string?>("after"),
            Last = context.GetArgument<int?>("last"),
            Before = context.GetArgument<string?>("before"),
            IncludeTotalCount = context.SubFields?.ContainsKey("totalCount") == true,
            Fields = SelectedFields(context, entity),
        };
    }

    /// <summary>
    /// The fields a list's records are read for (under nodes and edges.node, fragments included), so
    /// only their columns are read: the entity's fields and system fields selected. Everything else a
    /// record type offers (history, inverse lists, __typename) needs only the id, which is always read.
    /// </summary>
    private static List<string> SelectedFields(IResolveFieldContext context, EntityDefinition entity)
    {
        var names = Selections.Names(context, "nodes").Union(Selections.Names(context, "edges", "node")).ToHashSet(StringComparer.Ordinal);
        return entity.ActiveFields
            .Where(f => names.Contains(f.Name) || (f.Type == CrmFieldType.Lookup && names.Contains(LookupKind.IdMemberName(f))))
            .Select(f => f.Name)
            .Concat(SystemFields.All.Where(names.Contains))
            .Concat(names.Contains(MergedInto) ? new[] { SystemFields.DeletedAt } : [])
            .ToList();
    }

    private static void AddSystemFields(ObjectGraphType type, EntityDefinition entity, SharedTypes types)
    {
        Add(type, "id", SharedTypes.NonNull(types.Id), r => GlobalId.Encode(entity.Name, r.Id), "The record's global id.");
        Add(type, "version", SharedTypes.NonNull(types.Int), r => (int)r.Version, "Grows by one with every change; send it back with updates to detect conflicts.");
        Add(type, "createdAt", SharedTypes.NonNull(types.DateTime), r => r.CreatedAt);
        Add(type, "updatedAt", SharedTypes.NonNull(types.DateTime), r => r.UpdatedAt);
        Add(type, "createdBy", types.Id, r => UserId(r.CreatedBy));
        Add(type, "updatedBy", types.Id, r => UserId(r.UpdatedBy));
        Add(type, "ownerId", types.Id, r => UserId(r.OwnerId));
        Add(type, "deletedAt", types.DateTime, r => r.DeletedAt, "Set while the record is deleted (it can be restored).");
        type.AddField(new FieldType
        {
            Name = MergedInto,
            Description = "The record this one was merged into (mergeRecords), while it is deleted by that merge; null otherwise.",
            ResolvedType = types.Id,
            // Only a deleted record can have been merged: a live one costs no query.
            Resolver = Resolve.Async(async (c, crm) => (RecordData)c.Source! is { } record && (record.IsDeleted || !record.Row.ContainsKey(RecordColumns.DeletedAt))
                && await MergedRecords.MasterOfAsync(crm.Session, entity.Name, record.Id, c.CancellationToken) is { } master
                    ? GlobalId.Encode(entity.Name, master)
                    : null),
        });
    }

    /// <summary>The member of every record type naming the record it was merged into.</summary>
    public const string MergedInto = "mergedInto";

    private void AddFields(EntityGraphTypes graph, SchemaBuildContext context)
    {
        var kinds = context.Kinds;
        foreach (var field in graph.Entity.ActiveFields)
        {
            var description = Describe(field.Labels, field.Descriptions);
            if (field.Type != CrmFieldType.Lookup)
            {
                Add(graph.Record, field.Name, kinds.Output(field), r => r.Get(field), description);
                continue;
            }

            var target = field.LookupEntity!;
            Add(graph.Record, LookupKind.IdMemberName(field), context.Types.Id, r => r.Get(field) is Guid id ? GlobalId.Encode(target, id) : null, description);
            if (context.Entities.TryGetValue(target, out var targetTypes))
            {
                graph.Record.AddField(new FieldType
                {
                    Name = field.Name,
                    Description = description,
                    ResolvedType = targetTypes.Record,
                    // Batched: a page of records with this lookup reads all their targets in one query.
                    Resolver = Resolve.Sync(c => ((RecordData)c.Source!).Get(field) is Guid id ? c.Crm().Loader.Load(target, id) : null),
                });
            }
        }
    }

    private void AddInverseLists(EntityGraphTypes graph, SchemaBuildContext context)
    {
        foreach (var (source, lookup) in context.Metadata.InverseLookupsOf(graph.Entity.Name))
        {
            var sourceTypes = context.Entities[source.Name];
            graph.Record.AddField(new FieldType
            {
                Name = LookupKind.InverseName(lookup, source),
                Description = $"The {source.PluralName} whose '{lookup.Name}' is this {graph.Entity.Name}.",
                ResolvedType = SharedTypes.NonNull(sourceTypes.Connection),
                Arguments = ListArguments(sourceTypes, context.Types),
                Resolver = Resolve.Async(async (c, crm) =>
                {
                    var parent = (RecordData)c.Source!;
                    var query = ReadListArguments(c, source, new Condition.Comparison(lookup.Name, ComparisonOperator.Eq, parent.Id));
                    return new ConnectionData(await reader.ListAsync(crm.Session, query, c.CancellationToken));
                }),
            });
        }
    }

    private void AddHistory(ObjectGraphType type, EntityDefinition entity, SharedTypes types) =>
        type.AddField(new FieldType
        {
            Name = "history",
            Description = "The record's audit trail, newest first: who changed what, when.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(types.AuditEntry)),
            Arguments = new QueryArguments(new QueryArgument(types.Int) { Name = "first", DefaultValue = 20 }),
            Resolver = Resolve.Async(async (c, crm) =>
                await audit.ForRecordAsync(crm.Session, entity.Name, ((RecordData)c.Source!).Id, c.GetArgument<int>("first"), c.CancellationToken)),
        });

    private static void BuildConnection(EntityGraphTypes graph, SharedTypes types)
    {
        graph.Edge.AddField(new FieldType { Name = "cursor", ResolvedType = SharedTypes.NonNull(types.String), Resolver = Resolve.FromSource(s => ((RecordEdge)s).Cursor) });
        graph.Edge.AddField(new FieldType { Name = "node", ResolvedType = SharedTypes.NonNull(graph.Record), Resolver = Resolve.FromSource(s => ((RecordEdge)s).Record) });
        graph.Connection.AddField(new FieldType { Name = "edges", ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Edge)), Resolver = Resolve.FromSource(s => ((ConnectionData)s).Page.Edges) });
        graph.Connection.AddField(new FieldType { Name = "nodes", ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Record)), Resolver = Resolve.FromSource(s => ((ConnectionData)s).Page.Edges.Select(e => e.Record).ToList()) });
        graph.Connection.AddField(new FieldType { Name = "pageInfo", ResolvedType = SharedTypes.NonNull(types.PageInfo), Resolver = Resolve.FromSource(s => s) });
        graph.Connection.AddField(new FieldType
        {
            Name = "totalCount",
            Description = "How many records match the filter, across all pages (counted only when asked for).",
            ResolvedType = types.Int,
            Resolver = Resolve.FromSource(s => ((ConnectionData)s).Page.TotalCount),
        });
    }

    private static void BuildFilter(EntityGraphTypes graph, SchemaBuildContext context)
    {
        var types = context.Types;
        var filter = graph.Filter;
        filter.Description = $"Conditions on {graph.Entity.PluralName}; fields given together must all match.";
        filter.AddField(new FieldType { Name = "and", ResolvedType = SharedTypes.ListOf(filter) });
        filter.AddField(new FieldType { Name = "or", ResolvedType = SharedTypes.ListOf(filter) });
        filter.AddField(new FieldType { Name = "not", ResolvedType = filter });
        foreach (var (member, system, _) in FilterInput.SystemMembers)
        {
            filter.AddField(new FieldType { Name = member, ResolvedType = system is SystemFields.CreatedAt or SystemFields.UpdatedAt ? types.Filters.DateTime : types.Filters.Id });
        }

        foreach (var field in graph.Entity.ActiveFields)
        {
            filter.AddField(new FieldType { Name = GraphKinds.InputName(field), ResolvedType = context.Kinds.Filter(field) });
            if (field.Type == CrmFieldType.Lookup && context.Entities.TryGetValue(field.LookupEntity!, out var target))
            {
                filter.AddField(new FieldType { Name = field.Name, ResolvedType = target.Filter, Description = $"Conditions on the {field.LookupEntity} this lookup points to." });
            }
        }

        foreach (var (source, lookup) in context.Metadata.InverseLookupsOf(graph.Entity.Name))
        {
            filter.AddField(new FieldType
            {
                Name = LookupKind.InverseName(lookup, source),
                ResolvedType = context.Entities[source.Name].ListFilter,
                Description = $"Conditions on the {source.PluralName} whose '{lookup.Name}' is this {graph.Entity.Name}.",
            });
        }

        graph.ListFilter.Description = $"Conditions on a list of {graph.Entity.PluralName}.";
        graph.ListFilter.AddField(new FieldType { Name = "some", ResolvedType = filter, Description = "At least one matches." });
        graph.ListFilter.AddField(new FieldType { Name = "none", ResolvedType = filter, Description = "None matches." });
        graph.ListFilter.AddField(new FieldType { Name = "every", ResolvedType = filter, Description = "All match (true for an empty list)." });
    }

    private static void BuildInputs(EntityGraphTypes graph, SchemaBuildContext context)
    {
        graph.UpdateManyInput.AddField(new FieldType { Name = "id", ResolvedType = SharedTypes.NonNull(context.Types.Id), Description = "The record to change." });
        graph.UpdateManyInput.AddField(new FieldType { Name = "version", ResolvedType = context.Types.Int, Description = "The version you read; the item is refused with VERSION_CONFLICT if the record has moved on." });
        foreach (var input in new[] { graph.CreateInput, graph.UpdateInput, graph.UpdateManyInput })
        {
            input.AddField(new FieldType { Name = "ownerId", ResolvedType = context.Types.Id, Description = "The user who owns the record; the caller when omitted on create." });
            foreach (var field in graph.Entity.ActiveFields.Where(f => f.Of().IsWritable))
            {
                input.AddField(new FieldType
                {
                    Name = GraphKinds.InputName(field),
                    ResolvedType = context.Kinds.Input(field),
                    Description = Describe(field.Labels, field.Descriptions) + (field.Required ? " Required." : string.Empty),
                });
            }
        }

        graph.UpdateInput.Description = "Only the fields given change; null clears a field.";
        graph.UpdateManyInput.Description = "One record's change: only the fields given change; null clears a field.";
    }

    private static void Add(ObjectGraphType type, string name, IGraphType graphType, Func<RecordData, object?> value, string? description = null) =>
        type.AddField(new FieldType { Name = name, ResolvedType = graphType, Description = description, Resolver = Resolve.FromSource(s => value((RecordData)s)) });

    private static string? UserId(Guid? id) => id is { } value ? GlobalId.Encode(GlobalId.UserType, value) : null;

    private static string Describe(LocalizedText labels, LocalizedText? descriptions)
    {
        var label = string.Join(" / ", labels.Texts.Values);
        return descriptions?.Get("en") is { } description ? $"{label}: {description}" : label;
    }
}
