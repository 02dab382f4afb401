using CrmEngine.Host.Admin;
using CrmEngine.Testing;
using Microsoft.Extensions.Configuration;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// What an admin verb leaves on disk: a tenant made with the sales module by <c>tenants create</c>
/// is whole in its database file, with no write-ahead log left to replay (it held 2.3 MB of the
/// module's schema before the stores were checkpointed at the verb's end).
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class VerbStoreFilesTests : IDisposable
{
    // SQLite files whatever the pass: the write-ahead log is a SQLite matter.
    private readonly TestStore _store = TestStore.CreateSqlite();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_tenant_made_by_the_verb_with_the_sales_module_leaves_no_write_ahead_log_to_replay()
    {
        var settings = _store.Settings();
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Crm:CreateDemoTenant"] = "false",
            ["Crm:DefaultPlugins"] = "sales",
            ["Crm:PluginDirectory"] = Path.Combine(AppContext.BaseDirectory, "plugins"),
            ["Crm:JobsEnabled"] = "false",
        })
        {
            settings[key] = value;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AdminCommands.RunAsync(["tenants", "create", "acme"], c => c.AddInMemoryCollection(settings), output, error);

        Assert.Equal((0, string.Empty), (exit, error.ToString().Trim()));
        var store = new FileInfo(Path.Combine(_store.DataDirectory, "tenants", "acme.db"));
        var wal = new FileInfo(store.FullName + "-wal");
        Assert.True(store.Length > 0);
        Assert.True(!wal.Exists || wal.Length == 0, $"acme.db-wal holds {(wal.Exists ? wal.Length : 0):N0} bytes after the verb ended.");
    }
}
