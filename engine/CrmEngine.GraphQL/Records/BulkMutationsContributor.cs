using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// Per entity: <c>createManyLeads(inputs, atomic)</c>, <c>updateManyLeads(inputs, atomic)</c> and
/// <c>upsertManyLeads(inputs, matchOn, atomic)</c>, written by <see cref="RecordBatch"/> through the
/// record pipeline. The payload has one result per item, in input order (its index, its record or
/// its userErrors), and userErrors of its own for a request refused as a whole.
/// </summary>
public sealed class BulkMutationsContributor(RecordBatch batch, IdentityDirectory directory) : ISchemaContributor
{
    public int Order => 11;

    public void Contribute(SchemaBuildContext context)
    {
        foreach (var graph in context.Entities.Values)
        {
            var entity = graph.Entity;
            var result = ResultType(graph, context.Types);
            AddMutation(context, entity, result, ApiNames.CreateMany(entity), BulkOperation.Create, graph.CreateInput,
                $"Creates {entity.PluralName}, each as {ApiNames.Create(entity)} would; a refused item writes nothing and the others are written, unless atomic.");
            AddMutation(context, entity, result, ApiNames.UpdateMany(entity), BulkOperation.Update, graph.UpdateManyInput,
                $"Changes {entity.PluralName}, each as {ApiNames.Update(entity)} would; a refused item writes nothing and the others are written, unless atomic.");
            AddMutation(context, entity, result, ApiNames.UpsertMany(entity), BulkOperation.Upsert, graph.CreateInput,
                $"Per item: changes the {entity.Name} whose matchOn field holds the item's value, else creates one.");
        }
    }

    private static ObjectGraphType ResultType(EntityGraphTypes graph, SharedTypes types)
    {
        var result = new ObjectGraphType { Name = ApiNames.BulkResult(graph.Entity), Description = "What became of one item of a bulk mutation." };
        result.AddField(new FieldType { Name = "index", Description = "The item's position in inputs, from 0.", ResolvedType = SharedTypes.NonNull(types.Int), Resolver = Resolve.FromSource(s => ((BulkItemResult)s).Index) });
        result.AddField(new FieldType { Name = graph.Entity.Name, Description = "The record as written; null when the item was refused.", ResolvedType = graph.Record, Resolver = Resolve.FromSource(s => ((BulkItemResult)s).Result.Record) });
        result.AddField(new FieldType { Name = "created", Description = "Whether the item created its record (always for createMany, never for updateMany).", ResolvedType = SharedTypes.NonNull(types.Boolean), Resolver = Resolve.FromSource(s => ((BulkItemResult)s).Created) });
        result.AddField(new FieldType { Name = "userErrors", Description = "Why the item was refused; nothing of it was written.", ResolvedType = types.UserErrors, Resolver = Resolve.FromSource(s => ((BulkItemResult)s).Result.Errors) });
        result.AddField(new FieldType { Name = "duplicates", Description = "The duplicate rules the item matched: warnings when it was written, the blocking rule when refused with DUPLICATE_RECORD.", ResolvedType = types.DuplicateMatches, Resolver = Resolve.FromSource(s => ((BulkItemResult)s).Result.Duplicates) });
        return result;
    }

    private void AddMutation(SchemaBuildContext context, EntityDefinition entity, ObjectGraphType result, string name, BulkOperation operation, IInputObjectGraphType item, string description)
    {
        var types = context.Types;
        var payload = new ObjectGraphType { Name = ApiNames.Payload(name) };
        payload.AddField(new FieldType { Name = "results", Description = "One per item, in input order.", ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(result)), Resolver = Resolve.FromSource(s => ((BulkOutcome)s).Results) });
        payload.AddField(new FieldType { Name = "userErrors", Description = "Why the whole request was refused (too many items, matchOn not unique); nothing was written.", ResolvedType = types.UserErrors, Resolver = Resolve.FromSource(s => ((BulkOutcome)s).Errors) });
        var arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(SharedTypes.ListOf(item))) { Name = "inputs" });
        if (operation == BulkOperation.Upsert)
        {
            arguments.Add(new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "matchOn", Description = "The unique field an item's record is found by." });
        }

        arguments.Add(types.AllowDuplicatesArgument());
        arguments.Add(new QueryArgument(types.Boolean) { Name = "atomic", DefaultValue = false, Description = "All or nothing: if any item is refused, none is written (the others answer NOT_WRITTEN)." });
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description,
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) => await WriteAsync(c, crm, entity, name, operation)),
        });
    }

    private async Task<BulkOutcome> WriteAsync(IResolveFieldContext context, CrmUserContext crm, EntityDefinition entity, string name, BulkOperation operation)
    {
        var inputs = context.GetArgument<List<object?>>("inputs");
        var items = new List<BulkItem>(inputs.Count);
        foreach (var input in inputs)
        {
            items.Add(ReadItem(entity, operation, (IDictionary<string, object?>)input!));
        }

        IReadOnlyList<BulkItemResult> results;
        if (context.GetArgument<bool>("allowDuplicates"))
        {
            DuplicateAcknowledgement.Give();
        }

        try
        {
            results = await batch.WriteAsync(crm.Session, entity.Name, operation, items, context.GetArgument<string?>("matchOn"), context.GetArgument<bool>("atomic"), context.CancellationToken);
        }
        catch (CrmException e)
        {
            return new BulkOutcome([], e.Errors);
        }

        var denied = results.Where(r => r.Result.Errors.Any(e => e.Code == ErrorCodes.Forbidden)).ToList();
        if (denied.Count > 0)
        {
            // One entry per request, however many of its items were refused.
            var first = denied[0].Result.Errors.First(e => e.Code == ErrorCodes.Forbidden);
            await directory.LogAsync(crm.Session.Store, crm.Session.Principal.UserId, crm.Session.Principal.KeyId, "access_denied",
                $"{name}: {denied.Count} item(s) refused, the first at index {denied[0].Index}: {first.Message}", context.CancellationToken);
        }

        return new BulkOutcome(results, []);
    }

    /// <summary>An item in engine form; one that can't be read (a malformed id) is refused on its own, as the others go on.</summary>
    private static BulkItem ReadItem(EntityDefinition entity, BulkOperation operation, IDictionary<string, object?> input)
    {
        try
        {
            if (operation != BulkOperation.Update)
            {
                return new BulkItem(RecordOperationsContributor.ReadInput(entity, input));
            }

            var id = GraphKinds.ReadId(input["id"] as string, entity.Name, "id");
            var version = input.TryGetValue("version", out var v) && v is int read ? read : (long?)null;
            return new BulkItem(RecordOperationsContributor.ReadInput(entity, input.Where(m => m.Key is not ("id" or "version"))), id, version);
        }
        catch (CrmException e)
        {
            return new BulkItem(new Dictionary<string, object?>(), Unreadable: e.Errors);
        }
    }
}
