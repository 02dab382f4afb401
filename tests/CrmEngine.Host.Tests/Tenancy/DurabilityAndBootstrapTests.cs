using System.Net;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Tenancy;

/// <summary>Data outlives the process; a fresh install bootstraps itself once.</summary>
public sealed class DurabilityAndBootstrapTests
{
    [Fact]
    public async Task A_second_host_on_the_same_store_sees_every_acknowledged_write()
    {
        using var store = TestStore.Create();
        string tenant, key;
        var ids = new List<string>();
        using (var first = new CrmHost(store))
        {
            using var client = await first.NewTenantAsync();
            (tenant, key) = (client.TenantId, client.Key!);
            await Schemas.DefineProjectsAsync(client);
            for (var i = 0; i < 20; i++)
            {
                var created = await client.MutateAsync($"mutation {{ createProject(input: {{ title: \"P{i}\" }}) {{ project {{ id }} userErrors {{ code }} }} }}");
                ids.Add(created["project"]!["id"]!.GetValue<string>());
            }

            await client.MutateAsync($"mutation {{ updateProject(id: \"{ids[0]}\", input: {{ title: \"changed\" }}) {{ userErrors {{ code }} }} }}");
            await client.MutateAsync($"mutation {{ deleteProject(id: \"{ids[1]}\") {{ userErrors {{ code }} }} }}");

            // The second host starts while the first is still running, on the same files (or database).
            using var second = new CrmHost(store);
            using var reader = second.Client(tenant, key);
            var data = await reader.QueryAsync($"{{ projects(first: 100) {{ totalCount }} p: project(id: \"{ids[0]}\") {{ title version }} d: project(id: \"{ids[1]}\", deleted: true) {{ deletedAt }} metadataVersion }}");
            Assert.Equal(19, data["projects"]!["totalCount"]!.GetValue<int>());
            Assert.Equal("changed", data["p"]!["title"]!.GetValue<string>());
            Assert.NotNull(data["d"]!["deletedAt"]);
            Assert.Equal(2, data["metadataVersion"]!.GetValue<int>());
        }

        using var restarted = new CrmHost(store);
        using var again = restarted.Client(tenant, key);
        var after = await again.QueryAsync("{ projects(first: 100) { totalCount } }");
        Assert.Equal(19, after["projects"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_first_start_creates_the_demo_tenant_and_an_admin_key_only_its_owner_can_read()
    {
        using var store = TestStore.Create();
        var directory = store.DataDirectory;
        var settings = new Dictionary<string, string?> { ["Crm:CreateDemoTenant"] = "true" };
        string key;
        using (var host = new CrmHost(store, settings))
        {
            _ = host.BaseAddress;
            var keyFile = Path.Combine(directory, "demo-admin.key");
            key = (await File.ReadAllTextAsync(keyFile)).Trim();
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            using var client = host.Client("demo", key);
            Assert.Equal(0, (await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>());

            // crm_<id>_<secret>: the secret is base64url and may hold '_' itself.
            var secret = key.Split('_', 3)[2];
            Assert.DoesNotContain(secret, await CatalogContentAsync(store), StringComparison.Ordinal);
        }

        using var restarted = new CrmHost(store, settings);
        _ = restarted.BaseAddress;
        Assert.Equal(key, (await File.ReadAllTextAsync(Path.Combine(directory, "demo-admin.key"))).Trim());
        using var sameKey = restarted.Client("demo", key);
        Assert.Equal(HttpStatusCode.OK, (await sameKey.PostAsync("{ metadataVersion }")).Status);
    }

    /// <summary>Everything the catalog stores about keys, as text: the file's bytes on SQLite, the api_keys rows on PostgreSQL.</summary>
    private static async Task<string> CatalogContentAsync(TestStore store)
    {
        if (!store.IsPostgres)
        {
            return System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(store.DataDirectory, "catalog.db")));
        }

        var rows = await StoreInspector.QueryAsync(store.ConnectionString + ";Search Path=crm_catalog", "SELECT row_to_json(k)::text FROM api_keys k", r => r.GetString(0));
        Assert.NotEmpty(rows);
        return string.Join('\n', rows);
    }

    [Fact]
    public async Task A_key_decides_the_tenant_whatever_else_the_request_says()
    {
        using var host = new CrmHost();
        using var first = await host.NewTenantAsync();
        using var second = await host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(first);

        second.Http.DefaultRequestHeaders.Add("X-Tenant", first.TenantId);
        var response = await second.PostAsync("{ entities { name } }");
        Assert.Empty(response.Data!["entities"]!.AsArray());
    }
}
