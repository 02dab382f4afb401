using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmEngine.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Puts the engine on PostgreSQL (with <c>AddCrmEngineCore</c>): the storage provider, tenant
    /// schemas, search, bulk COPY, and the coordination between hosts (advisory-lock leases,
    /// LISTEN/NOTIFY change events). Settings come from <c>Crm:Storage</c>.
    /// </summary>
    public static IServiceCollection AddCrmPostgres(this IServiceCollection services)
    {
        services.AddSingleton<PostgresStorageProvider>();
        services.Replace(ServiceDescriptor.Singleton<IStorageProvider>(sp => sp.GetRequiredService<PostgresStorageProvider>()));
        services.AddSingleton<PostgresServers>();
        services.AddSingleton<PgTools>();
        services.Replace(ServiceDescriptor.Singleton<IStoreManager, PostgresStoreManager>());
        services.Replace(ServiceDescriptor.Singleton<ISearchIndex, PostgresSearchIndex>());
        services.Replace(ServiceDescriptor.Singleton<IBulkWriter, PostgresBulkWriter>());
        // By-id reads take EF's compiled query, lists EF itself: Npgsql prepares their statements.
        services.Replace(ServiceDescriptor.Singleton<IFastReads, EfFastReads>());
        services.Replace(ServiceDescriptor.Singleton<IWorkLeases, AdvisoryLockLeases>());
        services.Replace(ServiceDescriptor.Singleton<IChangeTransport, PostgresChangeTransport>());
        services.AddSingleton<PostgresChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeListener>());
        return services;
    }
}
