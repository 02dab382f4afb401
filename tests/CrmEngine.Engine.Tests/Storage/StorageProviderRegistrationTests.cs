using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sqlite;
using CrmEngine.Sqlite.Reads;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>
/// The engine knows no database of its own: a storage provider package puts it on one. Without one
/// it stops at its first use of storage (its start) and says what to add; with one, registered
/// before or after the engine's services, that provider serves every part of the contract.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class StorageProviderRegistrationTests
{
    private static ServiceProvider Build(Action<IServiceCollection> register)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<CrmEngineOptions>().Configure(o => o.DataDirectory = directory);
        register(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task An_engine_without_a_storage_provider_stops_at_its_start_naming_the_providers_to_add()
    {
        await using var services = Build(s => s.AddCrmEngineCore(Path.GetTempPath()));

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<TenantCatalog>());
        Assert.Contains("No storage provider is registered", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddCrmSqlite()", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddCrmPostgres()", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_provider_serves_every_part_of_the_contract_whether_added_before_or_after_the_engine(bool providerFirst)
    {
        await using var services = Build(s =>
        {
            if (providerFirst)
            {
                s.AddCrmSqlite();
            }

            s.AddCrmEngineCore(Path.GetTempPath());
            if (!providerFirst)
            {
                s.AddCrmSqlite();
            }
        });

        Assert.IsType<SqliteStorageProvider>(services.GetRequiredService<IStorageProvider>());
        Assert.IsType<SqliteStoreManager>(services.GetRequiredService<IStoreManager>());
        Assert.IsType<SqliteSearchIndex>(services.GetRequiredService<CrmEngine.Engine.Storage.Search.ISearchIndex>());
        Assert.IsType<SqliteBulkWriter>(services.GetRequiredService<IBulkWriter>());
        Assert.IsType<SqliteFastReads>(services.GetRequiredService<IFastReads>());
    }
}
