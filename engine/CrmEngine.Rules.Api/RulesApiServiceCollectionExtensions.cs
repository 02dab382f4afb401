using CrmEngine.Engine.Coordination;
using CrmEngine.GraphQL.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Api;

public static class RulesApiServiceCollectionExtensions
{
    /// <summary>
    /// The rules' GraphQL admin operations in every tenant's schema, and the notifications
    /// subscription. A project of its own so the rules (definitions, sandbox, execution) depend on
    /// the engine only, not on the GraphQL layer.
    /// </summary>
    public static IServiceCollection AddCrmRulesApi(this IServiceCollection services) =>
        services
            .AddSingleton<NotificationHub>()
            .AddSingleton<IChangeHandler>(sp => sp.GetRequiredService<NotificationHub>())
            .AddSingleton<ISchemaContributor, RulesContributor>();
}
