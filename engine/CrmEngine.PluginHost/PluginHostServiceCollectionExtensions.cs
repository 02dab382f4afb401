using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Schema;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Endpoints;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Jobs;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Schema;
using CrmEngine.PluginHost.Settings;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Rules.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.PluginHost;

public static class PluginHostServiceCollectionExtensions
{
    /// <summary>
    /// Loads the plugins in <paramref name="directory"/> (each folder one plugin), registers their
    /// services and connects them to the engine. Refused plugins are listed in the catalog with why.
    /// </summary>
    public static PluginCatalog AddCrmPlugins(this IServiceCollection services, string directory)
    {
        var catalog = new PluginCatalog(directory, PluginLoading.LoadAll(directory));
        // The plugins' own containers forward to the host's services once those are built.
        services.AddSingleton(sp =>
        {
            catalog.Attach(new PluginServices(services, sp));
            return catalog;
        });
        services.AddSingleton<ISystemTables, PluginSystemTables>();
        services.AddSingleton<RecordApiFactory>();
        services.AddSingleton<RefusalCodes>();
        services.AddSingleton<PluginFailures>();
        services.AddSingleton<PluginEnabler>();
        services.AddSingleton<PluginUpgradeRunner>();
        services.AddSingleton<Engine.Metadata.INameReservations, PluginNameReservations>();
        services.AddSingleton<ITenantInitializer, DefaultPluginsInitializer>();
        services.AddSingleton<PluginServing>();
        services.AddSingleton<IRecordHook, PluginVersionGuard>();
        services.AddSingleton<IRecordHookSource, PluginHookSource>();
        services.AddSingleton<IRuleFunctionProviderSource, PluginRuleFunctionSource>();
        services.AddSingleton<IRecordChangeHandlerSource, PluginAfterHookSource>();
        services.AddSingleton<PluginReloader>();
        services.AddSingleton<ISchemaContributor, PluginAdminContributor>();
        services.AddSingleton<ISchemaContributor, PluginOperationsContributor>();
        services.AddSingleton<ISystemTables, UsedLinkTables>();
        services.AddSingleton<PublicEndpointCatalog>();
        services.AddSingleton<PublicEndpointRunner>();
        services.AddSingleton<ISchemaContributor, PluginJobsContributor>();
        services.AddSingleton<ISchemaContributor, PluginSettingsContributor>();
        services.AddSingleton<PluginSettingsStore>();
        services.AddSingleton<JobRunLog>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<PluginJobScheduler>();
        services.AddSingleton<IScheduledWork>(sp => sp.GetRequiredService<PluginJobScheduler>());
        services.AddSingleton<ManualJobRuns>();
        services.AddHostedService(sp => sp.GetRequiredService<ManualJobRuns>());
        services.AddSingleton<PluginUpgrader>();
        services.AddHostedService(sp => sp.GetRequiredService<PluginUpgrader>());
        return catalog;
    }
}
