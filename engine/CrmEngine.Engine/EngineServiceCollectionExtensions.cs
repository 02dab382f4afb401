using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The engine's services, on SQLite; a storage provider package (CrmEngine.Postgres) replaces the
    /// provider-specific ones. Options come from <see cref="CrmEngineOptions"/>; a relative data
    /// directory is resolved against <paramref name="contentRoot"/>.
    /// </summary>
    public static IServiceCollection AddCrmEngineCore(this IServiceCollection services, string contentRoot)
    {
        services.AddSingleton(sp => new DataDirectory(Path.GetFullPath(sp.GetRequiredService<IOptions<CrmEngineOptions>>().Value.DataDirectory, contentRoot)));
        services.AddSingleton<IStorageProvider, SqliteStorageProvider>();
        services.AddSingleton<ISearchIndex, SqliteSearchIndex>();
        services.AddSingleton<IBulkWriter, SqliteBulkWriter>();
        services.AddSingleton<IFastReads, SqliteFastReads>();
        services.AddSingleton<IStoreManager, SqliteStoreManager>();
        services.AddSingleton<IWorkLeases, InProcessWorkLeases>();
        services.AddSingleton<IChangeTransport, InProcessChangeTransport>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<IChangeHandler, EngineChangeHandler>();
        services.AddSingleton<ISystemTables, CoreSystemTables>();
        services.AddSingleton<ISystemTables, Identity.IdentitySystemTables>();
        services.AddSingleton<ISystemTables, SettingsSystemTables>();
        services.AddSingleton<TenantSettings>();
        services.AddSingleton<Identity.IdentityDirectory>();
        services.AddSingleton<Identity.UserReferences>();
        services.AddSingleton<SystemSchema>();
        services.AddSingleton<SystemSchemaUpgrader>();
        services.AddSingleton<TenantModelFactory>();
        services.AddSingleton(sp => new ModelCache(sp.GetRequiredService<TenantModelFactory>()));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<TenantCatalog>();
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<TenantProvisioner>();
        services.AddSingleton<TenantBackups>();
        services.AddSingleton<MetadataService>();
        services.AddSingleton(sp => new CursorSecret(sp.GetRequiredService<IOptions<CrmEngineOptions>>().Value.CursorSecret is { Length: > 0 } configured
            ? CursorSecret.Parse(configured)
            : Secrets.LoadOrCreate(sp.GetRequiredService<DataDirectory>(), "cursor.key")));
        services.AddSingleton<CursorCodec>();
        services.AddSingleton<RecordReader>();
        services.AddSingleton<RecordAggregator>();
        services.AddSingleton<RecordSearch>();
        services.AddSingleton<Diagnostics.CrmMetrics>();
        services.AddSingleton<RecordPipeline>();
        services.AddSingleton<RecordImporter>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }
}
