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
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Rules;
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
        var catalog = PluginLoading.LoadAll(directory, services);
        services.AddSingleton(catalog);
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
        foreach (var plugin in catalog.Loaded)
        {
            foreach (var type in plugin.ContributedTypes.Where(t => typeof(IRecordValidator).IsAssignableFrom(t) || typeof(IBeforeRecordHook).IsAssignableFrom(t)))
            {
                var pluginId = plugin.Id;
                services.AddSingleton<IRecordHook>(sp => new PluginRecordHook(pluginId, (IRecordHookTarget)sp.GetRequiredService(type), sp.GetRequiredService<RecordApiFactory>(), sp.GetRequiredService<PluginFailures>(), sp.GetRequiredService<PluginServing>()));
            }
        }

        foreach (var plugin in catalog.Loaded.Where(p => p.ContributedTypes.Any(typeof(IRuleFunction).IsAssignableFrom)))
        {
            var pluginId = plugin.Id;
            var types = plugin.ContributedTypes.Where(typeof(IRuleFunction).IsAssignableFrom).ToList();
            services.AddSingleton<IRuleFunctionProvider>(sp => new PluginRuleFunctions(pluginId, types.Select(t => (IRuleFunction)sp.GetRequiredService(t)), sp.GetRequiredService<RecordApiFactory>(), sp.GetRequiredService<PluginFailures>(), sp.GetRequiredService<PluginServing>()));
        }

        foreach (var plugin in catalog.Loaded.Where(p => p.ContributedTypes.Any(typeof(IAfterRecordHook).IsAssignableFrom)))
        {
            var pluginId = plugin.Id;
            services.AddSingleton<IRecordChangeHandler>(sp => new PluginAfterHooks(pluginId, sp.GetServices<IAfterRecordHook>(), sp.GetRequiredService<PluginCatalog>(),
                sp.GetRequiredService<TenantRegistry>(), sp.GetRequiredService<RecordApiFactory>(), sp.GetRequiredService<PluginFailures>(), sp.GetRequiredService<PluginServing>()));
        }

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
        services.AddHostedService<PluginUpgrader>();
        return catalog;
    }
}
