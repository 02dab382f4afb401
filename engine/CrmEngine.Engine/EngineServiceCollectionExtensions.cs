using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Fields.Formulas;
using CrmEngine.Engine.Fields.Rollups;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The engine's services, without storage: a storage provider package supplies that, with
    /// <c>AddCrmSqlite()</c> (CrmEngine.Sqlite, the embedded default) or <c>AddCrmPostgres()</c>
    /// (CrmEngine.Postgres), before or after this. Options come from <see cref="CrmEngineOptions"/>;
    /// a relative data directory is resolved against <paramref name="contentRoot"/>.
    /// </summary>
    public static IServiceCollection AddCrmEngineCore(this IServiceCollection services, string contentRoot)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new DataDirectory(Path.GetFullPath(sp.GetRequiredService<IOptions<CrmEngineOptions>>().Value.DataDirectory, contentRoot)));
        RequireProvider<IStorageProvider>(services);
        RequireProvider<IStoreManager>(services);
        RequireProvider<IFastReads>(services);
        RequireProvider<ISearchIndex>(services);
        RequireProvider<IBulkWriter>(services);
        // One host per store unless a provider coordinates hosts (PostgreSQL's leases and change events).
        services.TryAddSingleton<IWorkLeases, InProcessWorkLeases>();
        services.TryAddSingleton<IChangeTransport, InProcessChangeTransport>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<IChangeHandler, EngineChangeHandler>();
        services.AddSingleton<ISystemTables, CoreSystemTables>();
        services.AddSingleton<ISystemTables, Identity.IdentitySystemTables>();
        services.AddSingleton<ISystemTables, SettingsSystemTables>();
        services.AddSingleton<ISystemTables, Sharing.SharingTables>();
        services.AddSingleton<ISystemTables, Records.Merging.MergeSystemTables>();
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
        services.AddSingleton<Sharing.SharingService>();
        services.AddSingleton<RecordAggregator>();
        services.AddSingleton<RecordSearch>();
        services.AddSingleton<Diagnostics.CrmMetrics>();
        services.AddSingleton<RecordHooks>();
        services.AddSingleton<RecordPipeline>();
        // Formulas first: a rollup may sum a formula of its children, computed before the rollup saves them.
        services.AddSingleton<IWriteCompanion, FormulaWriter>();
        services.AddSingleton<IWriteCompanion, RollupMaintainer>();
        services.AddSingleton<RecordImporter>();
        services.AddSingleton<RecordBatch>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<Records.Merging.RecordMerger>();
        services.AddSingleton<Records.Merging.MergeUndo>();
        services.AddSingleton<Records.Changes.RecordChanges>();
        services.AddSingleton<Records.Changes.ChangeJournalPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<Records.Changes.ChangeJournalPruner>());
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<ScheduledWorkService>();
        // Kinds of scheduled work run through the service and offer to run their own due runs (tests, admin tools).
        services.AddSingleton(sp => new Lazy<ScheduledWorkService>(sp.GetRequiredService<ScheduledWorkService>));
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledWorkService>());
        return services;
    }

    /// <summary>
    /// A part of the storage provider's contract, until a provider registers its own: the engine
    /// then stops at its first use of storage (its start) with directions, not with a missing service.
    /// </summary>
    private static void RequireProvider<T>(IServiceCollection services)
        where T : class =>
        services.TryAddSingleton<T>(_ => throw new InvalidOperationException(
            $"No storage provider is registered ({typeof(T).Name} has none): add one to the engine's services with AddCrmSqlite() (CrmEngine.Sqlite, the embedded default) or AddCrmPostgres() (CrmEngine.Postgres)."));
}
