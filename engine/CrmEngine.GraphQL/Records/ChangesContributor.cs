using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Changes;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// Per entity: <c>leadChanges(since, first)</c> returning <c>LeadChanges { items { kind id at lead } cursor hasMore }</c>,
/// the changes feed of <see cref="RecordChanges"/> for offline clients and sync jobs; and the
/// subscription <c>leadChanged { kind id at lead }</c>, the same entries pushed as changes commit
/// (<see cref="Subscriptions.RecordChangeHub"/>).
/// </summary>
public sealed class ChangesContributor(RecordChanges changes, Subscriptions.RecordChangeHub hub) : ISchemaContributor
{
    public int Order => 16;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var kind = new EnumerationGraphType<RecordChangeKind>
        {
            Name = "RecordChangeKind",
            Description = "UPSERT: store the record as given. DELETE: it was deleted. LEFT_SCOPE: it was reassigned out of what you may read. Drop the record for both.",
        };
        foreach (var graph in context.Entities.Values)
        {
            var entity = graph.Entity;
            var entry = new ObjectGraphType { Name = ApiNames.ChangeEntry(entity), Description = $"A changed {entity.Name}: as it is now, or a tombstone." };
            entry.AddField(new FieldType { Name = "kind", ResolvedType = SharedTypes.NonNull(kind), Resolver = Resolve.FromSource(s => ((RecordChangeEntry)s).Kind) });
            entry.AddField(new FieldType { Name = "id", ResolvedType = SharedTypes.NonNull(types.Id), Description = "The record's global id.", Resolver = Resolve.FromSource(s => GlobalId.Encode(entity.Name, ((RecordChangeEntry)s).Id)) });
            entry.AddField(new FieldType { Name = "at", ResolvedType = SharedTypes.NonNull(types.DateTime), Description = "When the change was made (for DELETE, when the record was deleted).", Resolver = Resolve.FromSource(s => ((RecordChangeEntry)s).At) });
            entry.AddField(new FieldType { Name = entity.Name, ResolvedType = graph.Record, Description = "The record as it is now, for UPSERT; null for a tombstone.", Resolver = Resolve.FromSource(s => ((RecordChangeEntry)s).Record) });

            var page = new ObjectGraphType { Name = ApiNames.ChangesPage(entity), Description = $"A page of {entity.Name} changes, in commit order." };
            page.AddField(new FieldType { Name = "items", ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(entry)), Resolver = Resolve.FromSource(s => ((RecordChangesPage)s).Items) });
            page.AddField(new FieldType { Name = "cursor", ResolvedType = SharedTypes.NonNull(types.String), Description = "Pass it as `since` to get the changes after this page; keep it while offline.", Resolver = Resolve.FromSource(s => ((RecordChangesPage)s).Cursor) });
            page.AddField(new FieldType { Name = "hasMore", ResolvedType = SharedTypes.NonNull(types.Boolean), Description = "More changes are waiting now: ask again with `cursor` at once.", Resolver = Resolve.FromSource(s => ((RecordChangesPage)s).HasMore) });

            context.Query.AddField(new FieldType
            {
                Name = ApiNames.ChangesField(entity),
                Description = $"{Naming.Humanize(entity.PluralName)} changed after `since` (the `cursor` of your last page), in commit order; without it, first every {entity.Name} you may read. " +
                    "CURSOR_EXPIRED past the retention or once your access changed: sync again without `since`.",
                ResolvedType = SharedTypes.NonNull(page),
                Arguments = new QueryArguments(
                    new QueryArgument(types.String) { Name = "since", Description = "The `cursor` of the last page you read." },
                    new QueryArgument(types.Int) { Name = "first", Description = "Up to this many changes (the default page size when omitted)." }),
                Resolver = Resolve.Async(async (c, crm) =>
                    await changes.ReadAsync(crm.Session, entity.Name, c.GetArgument<string?>("since"), c.GetArgument<int?>("first"), c.CancellationToken)),
            });

            context.Subscription.AddField(new FieldType
            {
                Name = ApiNames.ChangedSubscription(entity),
                Description = $"Each {entity.Name} change you may see, as it commits (over WebSocket, graphql-transport-ws): the record as it is then, or a tombstone.",
                ResolvedType = SharedTypes.NonNull(entry),
                Resolver = Resolve.FromSource(s => s),
                StreamResolver = new SourceStreamResolver<object?>(c =>
                {
                    var session = c.Crm().Session;
                    return session.Permissions.Scope(entity.Name, Engine.Identity.RecordAction.Read) == Engine.Identity.AccessScope.None
                        ? throw new Engine.Errors.CrmException(Engine.Errors.ErrorCodes.Forbidden, $"You have no right to read {entity.Name} records.")
                        : hub.Changes(session, entity.Name);
                }),
            });
        }
    }
}
