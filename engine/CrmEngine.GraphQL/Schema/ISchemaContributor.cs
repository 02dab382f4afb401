namespace CrmEngine.GraphQL.Schema;

/// <summary>
/// Adds types, queries and mutations to a tenant's schema while it is being built. Records, metadata,
/// node lookup and (later) plugins, rules and admin each contribute; none knows the others.
/// </summary>
public interface ISchemaContributor
{
    /// <summary>Lower runs first. Record types are contributed at 0 so later contributors can use them.</summary>
    int Order { get; }

    void Contribute(SchemaBuildContext context);
}
