using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Guard;
using CrmEngine.GraphQL.Execution.Writing;
using CrmEngine.GraphQL.Metadata;
using CrmEngine.GraphQL.Records;
using CrmEngine.GraphQL.Schema;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.SystemTextJson;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.GraphQL;

public static class GraphQLServiceCollectionExtensions
{
    /// <summary>The per-tenant schema machinery and its built-in contributors.</summary>
    public static IServiceCollection AddCrmGraphQL(this IServiceCollection services)
    {
        services.AddSingleton<ISchemaContributor, RecordTypesContributor>();
        services.AddSingleton<ISchemaContributor, RecordOperationsContributor>();
        services.AddSingleton<ISchemaContributor, BulkMutationsContributor>();
        services.AddSingleton<ISchemaContributor, MergeContributor>();
        services.AddSingleton<ISchemaContributor, AggregateContributor>();
        services.AddSingleton<ISchemaContributor, SearchContributor>();
        services.AddSingleton<ISchemaContributor, ChangesContributor>();
        services.AddSingleton<Subscriptions.RecordChangeHub>();
        services.AddSingleton<CrmEngine.Engine.Coordination.IChangeHandler>(sp => sp.GetRequiredService<Subscriptions.RecordChangeHub>());
        services.AddSingleton<CrmEngine.Engine.Records.Pipeline.IRecordChangeHandler, Subscriptions.RecordChangeBroadcaster>();
        services.AddSingleton<ISchemaContributor, MetadataContributor>();
        services.AddSingleton<ISchemaContributor, Identity.IdentityContributor>();
        services.AddSingleton<ISchemaContributor, Sharing.SharingContributor>();
        services.AddSingleton<TenantSchemaBuilder>();
        services.AddSingleton<TenantSchemaCache>();
        services.AddSingleton<CrmEngine.Engine.Coordination.IChangeHandler, SchemaChangeHandler>();
        // Queries run serially too: every resolver opens its own short-lived context anyway, lookups
        // are batched per level by IDataLoaderResult either way, and the serial strategy skips the
        // task fan-out the parallel one pays on every field of every record.
        // Text is written as is (ResponseJson): Chinese, apostrophes and the rest as UTF-8, not \u
        // escapes. Parts of results the strategy wrote itself are copied as is.
        var json = new JsonSerializerOptions { Encoder = ResponseJson.Encoder };
        json.Converters.Add(new JsonFragmentConverter());
        var strategy = new CrmExecutionStrategy(json);
        services.AddSingleton<IDocumentExecuter>(sp => new DocumentExecuter(
            new GraphQLDocumentBuilder(),
            new CachedDocumentValidator(new DocumentValidator()),
            new DefaultExecutionStrategySelector([
                new ExecutionStrategyRegistration(strategy, GraphQLParser.AST.OperationType.Query),
                new ExecutionStrategyRegistration(strategy, GraphQLParser.AST.OperationType.Mutation),
                new ExecutionStrategyRegistration(
                    new Subscriptions.CrmSubscriptionStrategy(strategy, sp.GetRequiredService<CrmEngine.Engine.Records.Querying.RecordReader>()),
                    GraphQLParser.AST.OperationType.Subscription),
            ]),
            []));
        services.AddSingleton<IGraphQLTextSerializer>(new GraphQLSerializer(json, new CorrelatedErrorInfoProvider()));
        services.AddSingleton<ValidatedDocumentCache>();
        services.AddOptions<QueryLimits>();
        services.AddSingleton<DocumentGuard>();
        services.AddSingleton<CrmGraphQLExecutor>();
        return services;
    }
}
