using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Reports.Api;
using CrmEngine.Reports.Definitions;
using CrmEngine.Reports.Running;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;
using CrmEngine.Reports.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Reports;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>
    /// Saved reports over any entity: their table, the runner (on the engine's aggregates), scheduled
    /// deliveries by e-mail and the GraphQL operations (docs/reports.md). Needs the messaging service
    /// (AddCrmMessaging) and the files service (AddCrmFiles) for the deliveries.
    /// </summary>
    public static IServiceCollection AddCrmReports(this IServiceCollection services)
    {
        services.AddSingleton<ISystemTables, ReportTables>();
        services.AddSingleton<ReportRunner>();
        services.AddSingleton<SharedItems>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<DashboardsContributor>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<ReportDelivery>();
        services.AddSingleton<ReportDeliveryScheduler>();
        services.AddSingleton<IScheduledWork>(sp => sp.GetRequiredService<ReportDeliveryScheduler>());
        services.AddSingleton<SubscriptionsContributor>();
        services.AddSingleton<ISchemaContributor, ReportsContributor>();
        return services;
    }
}
