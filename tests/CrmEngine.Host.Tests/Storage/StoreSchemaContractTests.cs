using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Storage;

/// <summary>
/// The tables, columns, keys and indexes a tenant store is made with are a contract with every store
/// already deployed: the schema upgrader diffs models and names keys and indexes by name, so a
/// change in how the model names them (a naming convention, a refactoring of the mappings) must
/// leave a new store byte-identical to an old one. The schema of a fresh tenant with the sales
/// plugin is kept approved per store, and any change to it is reviewed as a diff.
/// </summary>
[Collection(ModuleHostGroup.Name)]
public sealed class StoreSchemaContractTests(ModuleHostFixture fixture)
{
    [Fact]
    public async Task A_fresh_tenant_with_the_sales_plugin_has_the_approved_store_schema()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"sales\") { userErrors { code message } } }");

        var catalog = fixture.Host.Service<TenantCatalog>();
        var tenant = await catalog.FindTenantAsync(client.TenantId, CancellationToken.None);
        var schema = await StoreInspector.SchemaAsync(await catalog.ConnectionStringAsync(tenant!, CancellationToken.None));

        ApprovedFile.Verify($"tests/CrmEngine.Host.Tests/Storage/SalesTenant.{(TestStorage.IsPostgres ? "postgres" : "sqlite")}.approved.sql", schema);
    }
}
