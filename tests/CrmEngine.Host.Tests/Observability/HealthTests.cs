using System.Net;
using System.Text.Json.Nodes;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmEngine.Host.Tests.Observability;

/// <summary>
/// /health/live answers while the process runs; /health/ready also needs the catalog and every tenant
/// store the host has open, and answers 503 with the check that failed (never a path or an error
/// text) until they are back. Stores are broken under a running host as an operator would meet it: a
/// SQLite file gone from the data directory, a PostgreSQL table or schema gone.
/// </summary>
public sealed class HealthTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private CrmHost Host => fixture.Host;

    [Fact]
    public async Task Live_and_ready_answer_200_while_the_stores_are_there_and_the_old_health_endpoint_still_answers()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };

        var (liveStatus, live) = await GetAsync(http, "/health/live");
        var (readyStatus, ready) = await GetAsync(http, "/health/ready");

        Assert.Equal((HttpStatusCode.OK, "Healthy"), (liveStatus, live["status"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (readyStatus, ready["status"]!.GetValue<string>()));
        Assert.Equal("Healthy", ready["checks"]!["catalog"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", ready["checks"]!["tenant-stores"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_store_gone_makes_the_host_not_ready_with_the_reason_until_it_is_back()
    {
        using var client = await Host.NewTenantAsync();
        await client.QueryAsync("{ __typename }");
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        var store = (await Host.Service<TenantCatalog>().FindTenantAsync(client.TenantId, CancellationToken.None))!.Store;

        await using (await BreakAsync(TenantStoreOf(store)))
        {
            var (status, ready) = await GetAsync(http, "/health/ready");
            var (liveStatus, _) = await GetAsync(http, "/health/live");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(HttpStatusCode.OK, liveStatus);
            Assert.Equal("Healthy", ready["checks"]!["catalog"]!["status"]!.GetValue<string>());
            Assert.Equal("Unhealthy", ready["checks"]!["tenant-stores"]!["status"]!.GetValue<string>());
            Assert.Matches(@"^1 of \d+ open tenant store\(s\) can't be reached\.$", ready["checks"]!["tenant-stores"]!["description"]!.GetValue<string>());
            Assert.DoesNotContain(client.TenantId, ready.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/health/ready")).Status);
    }

    [Fact]
    public async Task The_catalog_gone_makes_the_host_not_ready_until_it_is_back()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        await StartUpPassesDoneAsync();

        await using (await BreakAsync(Host.Store.IsPostgres ? Sql("ALTER TABLE crm_catalog.tenants RENAME TO tenants_gone", "ALTER TABLE crm_catalog.tenants_gone RENAME TO tenants") : File("catalog.db")))
        {
            var (status, ready) = await GetAsync(http, "/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", ready["status"]!.GetValue<string>());
            Assert.Equal("The catalog can't be reached.", ready["checks"]!["catalog"]!["description"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/health/ready")).Status);
    }

    /// <summary>
    /// Waits for the start-up pass that upgrades plugins on every tenant: it reads the catalog once
    /// and, if that fails, stops the host (a BackgroundService's failure), which is not what this
    /// test is about.
    /// </summary>
    private Task StartUpPassesDoneAsync() => Host.Service<CrmEngine.PluginHost.Tenants.PluginUpgrader>().StartUpPass;

    private static async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>How to break a tenant's store: its SQLite file moved away, or its PostgreSQL schema renamed.</summary>
    private (Func<Task> Break, Func<Task> Repair) TenantStoreOf(string store)
    {
        if (!Host.Store.IsPostgres)
        {
            return File(store);
        }

        var schema = store[(store.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return Sql($"ALTER SCHEMA \"{schema}\" RENAME TO \"{schema}_gone\"", $"ALTER SCHEMA \"{schema}_gone\" RENAME TO \"{schema}\"");
    }

    /// <summary>
    /// A database of the data directory moved aside, then back. Idle pooled connections still hold the
    /// moved file open, so they are closed each time, as a restart would. (The host's background work
    /// may open the path meanwhile and make an empty database there; that one is removed on repair.)
    /// </summary>
    private (Func<Task> Break, Func<Task> Repair) File(string relative)
    {
        // A database is its file and its WAL (a young store's tables may live in the WAL alone):
        // they move together, and what the host made at the path meanwhile goes before they come back.
        var paths = new[] { "", "-wal", "-shm" }.Select(suffix => Path.Combine(Host.DataDirectory, relative) + suffix).ToList();
        return (() =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in paths.Where(System.IO.File.Exists))
            {
                System.IO.File.Move(path, path + ".gone");
            }

            SqliteConnection.ClearAllPools();
            return Task.CompletedTask;
        }, () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in paths)
            {
                System.IO.File.Delete(path);
                if (System.IO.File.Exists(path + ".gone"))
                {
                    System.IO.File.Move(path + ".gone", path);
                }
            }

            SqliteConnection.ClearAllPools();
            return Task.CompletedTask;
        });
    }

    private (Func<Task> Break, Func<Task> Repair) Sql(string breaking, string repairing) => (() => ExecuteAsync(breaking), () => ExecuteAsync(repairing));

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Host.Store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<IAsyncDisposable> BreakAsync((Func<Task> Break, Func<Task> Repair) damage)
    {
        await damage.Break();
        return new Repair(damage.Repair);
    }

    private sealed class Repair(Func<Task> repair) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await repair();
    }
}
