using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sqlite.Reads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmEngine.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Puts the engine on SQLite, the embedded default (with <c>AddCrmEngineCore</c>): a file per
    /// tenant in the data directory, its reads, writes, search and bulk inserts. One host serves a
    /// data directory, so the engine's in-process leases and change events are all it needs.
    /// </summary>
    public static IServiceCollection AddCrmSqlite(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IStorageProvider, SqliteStorageProvider>());
        services.Replace(ServiceDescriptor.Singleton<IStoreManager, SqliteStoreManager>());
        services.Replace(ServiceDescriptor.Singleton<IFastReads, SqliteFastReads>());
        services.Replace(ServiceDescriptor.Singleton<ISearchIndex, SqliteSearchIndex>());
        services.Replace(ServiceDescriptor.Singleton<IBulkWriter, SqliteBulkWriter>());
        return services;
    }
}
