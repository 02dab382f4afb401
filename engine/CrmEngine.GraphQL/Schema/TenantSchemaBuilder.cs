using CrmEngine.Engine.Metadata;

namespace CrmEngine.GraphQL.Schema;

/// <summary>
/// Builds a tenant's schema from its metadata: fresh graph-type instances every time, contributors
/// in order, then Initialize() before anyone sees it. A plain <see cref="global::GraphQL.Types.Schema"/>, not a
/// subclass, so graphql-dotnet never treats two tenants' schemas as one.
/// </summary>
public sealed class TenantSchemaBuilder(IEnumerable<ISchemaContributor> contributors)
{
    private readonly ISchemaContributor[] _contributors = contributors.OrderBy(c => c.Order).ToArray();

    public global::GraphQL.Types.Schema Build(MetadataSnapshot metadata)
    {
        var context = new SchemaBuildContext(metadata);
        foreach (var contributor in _contributors)
        {
            contributor.Contribute(context);
        }

        var schema = new global::GraphQL.Types.Schema
        {
            Query = context.Query,
            Mutation = context.Mutation.Fields.Count > 0 ? context.Mutation : null,
            Subscription = context.Subscription.Fields.Count > 0 ? context.Subscription : null,
            Description = $"CrmEngine tenant schema, metadata version {metadata.Version}.",
        };
        CurrentIntrospection.Enable(schema);
        foreach (var type in context.ExtraTypes)
        {
            schema.RegisterType(type);
        }

        schema.Initialize();
        TypeLookup.Guard(schema);
        return schema;
    }
}
