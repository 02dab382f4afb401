using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// <c>search(text, entities, first)</c>: records of any entity whose searchable fields contain the
/// words, best match first. Each hit's record is read through the request's batch loader, so a page
/// of hits costs one query per entity.
/// </summary>
public sealed class SearchContributor(RecordSearch search) : ISchemaContributor
{
    public int Order => 20;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var hit = new ObjectGraphType { Name = "SearchHit", Description = "A record found by search." };
        hit.AddField(new FieldType { Name = "entity", ResolvedType = SharedTypes.NonNull(types.String), Resolver = Resolve.Sync(c => ((SearchHit)c.Source!).Entity) });
        hit.AddField(new FieldType { Name = "score", ResolvedType = SharedTypes.NonNull(new FloatGraphType()), Description = "Higher is a better match; comparable within one search.", Resolver = Resolve.Sync(c => ((SearchHit)c.Source!).Score) });
        hit.AddField(new FieldType
        {
            Name = "record",
            ResolvedType = types.Node,
            Description = "The record (null if it was deleted since).",
            Resolver = Resolve.Sync(c => c.Crm().Loader.Load(((SearchHit)c.Source!).Entity, ((SearchHit)c.Source!).Id)),
        });

        context.Query.AddField(new FieldType
        {
            Name = "search",
            Description = "Finds records whose searchable fields contain every word of text (any substring; Chinese too), best match first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(hit)),
            Arguments = new QueryArguments(
                new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "text" },
                new QueryArgument(SharedTypes.ListOf(types.String)) { Name = "entities", Description = "Entity names to search; every searchable entity when omitted." },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 20 }),
            Resolver = Resolve.Async(async (c, crm) => await search.SearchAsync(crm.Session, c.GetArgument<string>("text"), c.GetArgument<List<string>?>("entities"), c.GetArgument<int>("first"), c.CancellationToken)),
        });
    }
}
