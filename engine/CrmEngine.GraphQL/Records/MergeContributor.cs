using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Merging;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// <c>mergeRecords(input)</c> and <c>undoMerge(mergeId)</c>, for every entity: duplicates merged into a
/// master with the values chosen per field, related records re-parented (<see cref="RecordMerger"/>),
/// and undone within the undo window (<see cref="MergeUndo"/>). See docs/merge.md.
/// </summary>
public sealed class MergeContributor(RecordMerger merger, MergeUndo undo, IdentityDirectory directory) : ISchemaContributor
{
    public int Order => 12;

    public void Contribute(SchemaBuildContext context)
    {
        if (context.Entities.Count == 0)
        {
            return;
        }

        var types = context.Types;
        var duplicate = SharedTypes.Input("MergeDuplicateInput", "A record to merge into the master, and the version you read (the merge is refused with VERSION_CONFLICT if it moved on).",
            ("id", SharedTypes.NonNull(types.Id)), ("version", types.Int));
        var choice = SharedTypes.Input("MergeFieldInput", "Where the master's value of one field comes from: the record `from` (the master or a duplicate), or `value` as given (as the update input takes it).",
            ("field", SharedTypes.NonNull(types.String)), ("from", types.Id), ("value", types.Json));
        var input = SharedTypes.Input("MergeRecordsInput", "Which records to merge: the entity, the master that stays, its duplicates, and the fields the master takes from them. Fields not named keep the master's value.",
            ("entity", SharedTypes.NonNull(types.String)), ("masterId", SharedTypes.NonNull(types.Id)), ("masterVersion", types.Int),
            ("duplicates", SharedTypes.NonNull(SharedTypes.ListOf(duplicate))), ("fields", SharedTypes.ListOf(choice)));
        var payload = SharedTypes.SourceObject("MergeRecordsPayload", "A merge done (nothing else happens when userErrors is not empty).",
            ("mergeId", types.Id, s => ((MergeOutcome)s).MergeId?.ToString()),
            ("master", types.Node, s => ((MergeOutcome)s).Master),
            ("undoUntil", types.DateTime, s => ((MergeOutcome)s).UndoUntil),
            ("userErrors", types.UserErrors, s => ((MergeOutcome)s).Errors));
        var conflict = SharedTypes.SourceObject("MergeConflict", "A record an undo left as it was, because it changed after the merge.",
            ("entity", SharedTypes.NonNull(types.String), s => ((MergeConflict)s).Entity),
            ("recordId", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(((MergeConflict)s).Entity, ((MergeConflict)s).RecordId)),
            ("field", SharedTypes.NonNull(types.String), s => ((MergeConflict)s).Field),
            ("reason", SharedTypes.NonNull(types.String), s => ((MergeConflict)s).Reason));
        var undone = SharedTypes.SourceObject("UndoMergePayload", "An undone merge (nothing else happens when userErrors is not empty).",
            ("master", types.Node, s => ((UndoMergeOutcome)s).Master),
            ("restored", SharedTypes.NonNull(SharedTypes.ListOf(types.Node)), s => ((UndoMergeOutcome)s).Restored),
            ("conflicts", SharedTypes.NonNull(SharedTypes.ListOf(conflict)), s => ((UndoMergeOutcome)s).Conflicts),
            ("userErrors", types.UserErrors, s => ((UndoMergeOutcome)s).Errors));

        context.Mutation.AddField(new FieldType
        {
            Name = "mergeRecords",
            Description = "Merges duplicates into a master record: the master takes the chosen values, every record pointing at a duplicate points at the master, the duplicates are deleted (mergedInto names the master). Undo with undoMerge.",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(input)) { Name = "input" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                MergeOutcome outcome;
                try
                {
                    outcome = await merger.MergeAsync(crm.Session, ReadRequest(crm.Session.Metadata, c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken);
                }
                catch (CrmException e)
                {
                    outcome = MergeOutcome.Fail(e.Errors);
                }

                await LogDeniedAsync(crm, "mergeRecords", outcome.Errors, c.CancellationToken);
                return outcome;
            }),
        });
        context.Mutation.AddField(new FieldType
        {
            Name = "undoMerge",
            Description = "Undoes a merge within the undo window, once: the duplicates come back, records re-parented point at them again and the master takes back its values, except where they changed since (conflicts).",
            ResolvedType = SharedTypes.NonNull(undone),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "mergeId" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var outcome = Guid.TryParse(c.GetArgument<string>("mergeId"), out var id)
                    ? await undo.UndoAsync(crm.Session, id, c.CancellationToken)
                    : UndoMergeOutcome.Fail([new CrmError(ErrorCodes.InvalidId, "A merge id is the mergeId mergeRecords answered.", "mergeId")]);
                await LogDeniedAsync(crm, "undoMerge", outcome.Errors, c.CancellationToken);
                return outcome;
            }),
        });
    }

    /// <summary>A refusal for want of rights goes to the security log, as the record mutations' do.</summary>
    private async Task LogDeniedAsync(CrmUserContext crm, string name, IReadOnlyList<CrmError> errors, CancellationToken cancellationToken)
    {
        if (errors.FirstOrDefault(e => e.Code == ErrorCodes.Forbidden) is { } denied)
        {
            await directory.LogAsync(crm.Session.Store, crm.Session.Principal.UserId, crm.Session.Principal.KeyId, "access_denied", $"{name}: {denied.Message}", cancellationToken);
        }
    }

    /// <summary>The request in engine form: UUIDs for ids, field names for API members, engine values for given ones.</summary>
    private static MergeRequest ReadRequest(MetadataSnapshot metadata, Dictionary<string, object?> input)
    {
        var name = (string)input["entity"]!;
        var entity = metadata.Find(name) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{name}'.", "entity");
        var master = new MergeTarget(GraphKinds.ReadId(input["masterId"] as string, entity.Name, "masterId"), input.GetValueOrDefault("masterVersion") as int?);
        var duplicates = ((IEnumerable<object?>)input["duplicates"]!).Cast<IDictionary<string, object?>>()
            .Select(d => new MergeTarget(GraphKinds.ReadId(d["id"] as string, entity.Name, "duplicates"), Member(d, "version") as int?))
            .ToList();
        var fields = ((IEnumerable<object?>?)input.GetValueOrDefault("fields") ?? []).Cast<IDictionary<string, object?>>()
            .Select(f => ReadChoice(entity, f))
            .ToList();
        return new MergeRequest(entity.Name, master, duplicates, fields);
    }

    private static MergeFieldChoice ReadChoice(EntityDefinition entity, IDictionary<string, object?> choice)
    {
        var member = (string)choice["field"]!;
        var from = Member(choice, "from") is string id ? GraphKinds.ReadId(id, entity.Name, member) : (Guid?)null;
        if (member == "ownerId")
        {
            var owner = Member(choice, "value") is string user ? GraphKinds.ReadId(user, GlobalId.UserType, member) : (Guid?)null;
            return new MergeFieldChoice(SystemFields.OwnerId, from, owner);
        }

        // A field by its name or its API member (account or accountId); an unknown one is refused by the merge.
        var field = entity.ActiveFields.FirstOrDefault(f => f.Name == member || GraphKinds.InputName(f) == member);
        return field is null
            ? new MergeFieldChoice(member, from)
            : new MergeFieldChoice(field.Name, from, GraphKinds.ToEngine(field, Member(choice, "value")));
    }

    private static object? Member(IDictionary<string, object?> input, string name) => input.TryGetValue(name, out var value) ? value : null;
}
