using System.Net;
using CrmEngine.Host.Admin;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Extensions.Configuration;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Admin;

/// <summary>
/// The host's admin verbs (<c>dotnet run --project host/CrmEngine.Host -- &lt;verb&gt;</c>), run
/// in process against the store of the pass (SQLite files, or PostgreSQL in its pass): a tenant is
/// created, backed up, changed, restored and deleted, and the server sees each step.
/// </summary>
public sealed class AdminCommandsTests : IDisposable
{
    private readonly TestStore _store = TestStore.Create();
    private readonly string _backups = Path.Combine(Path.GetTempPath(), "crm-backups", Guid.NewGuid().ToString("N"));

    public AdminCommandsTests() => Directory.CreateDirectory(_backups);

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_backups, recursive: true);
    }

    [Fact]
    public async Task A_tenant_created_backed_up_changed_and_restored_by_the_verbs_is_back_as_it_was_then_deleted()
    {
        var created = await RunAsync("tenants", "create", "acme", "--name", "Acme Ltd");
        Assert.Equal(0, created.Exit);
        var key = created.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.StartsWith("crm_", key, StringComparison.Ordinal);
        Assert.Contains("acme\tAcme Ltd\t", (await RunAsync("tenants", "list")).Output, StringComparison.Ordinal);

        using (var host = new CrmHost(_store))
        {
            using var client = host.Client("acme", key);
            await client.MutateAsync(CreateEntity, new { input = new { name = "project", labels = Labels("Project", "项目"), fields = new[] { Field("title", "TEXT") } } });
            await client.MutateAsync("mutation { createProject(input: { title: \"备份之前\" }) { userErrors { code } } }");
        }

        var file = Path.Combine(_backups, "acme.backup");
        var backup = await RunAsync("backup", "acme", file);
        Assert.Equal((0, ""), (backup.Exit, backup.Error));
        Assert.True(new FileInfo(file).Length > 0);

        using (var host = new CrmHost(_store))
        {
            using var client = host.Client("acme", key);
            await client.MutateAsync(AddField, new { entity = "project", input = Field("budget", "INTEGER") });
            await client.MutateAsync("mutation { createProject(input: { title: \"备份之后\", budget: 3 }) { userErrors { code } } }");
        }

        var restore = await RunAsync("restore", "acme", file);
        Assert.Equal((0, ""), (restore.Exit, restore.Error));

        using (var host = new CrmHost(_store))
        {
            using var client = host.Client("acme", key);
            var projects = await client.QueryAsync("{ projects { nodes { title } } }");
            Assert.Equal(["备份之前"], projects["projects"]!["nodes"]!.AsArray().Select(n => n!["title"]!.GetValue<string>()));
            // The field added after the backup is gone with the rest of that state.
            Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await client.PostAsync("{ projects { nodes { budget } } }")).FirstErrorCode);
        }

        Assert.Equal(1, (await RunAsync("tenants", "delete", "acme")).Exit);
        var deleted = await RunAsync("tenants", "delete", "acme", "--yes");
        Assert.Equal(0, deleted.Exit);
        Assert.DoesNotContain("acme", (await RunAsync("tenants", "list")).Output, StringComparison.Ordinal);
        using (var host = new CrmHost(_store))
        {
            using var client = host.Client("acme", key);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("{ metadataVersion }")).Status);
        }
    }

    [Fact]
    public async Task A_backup_and_the_live_stores_are_readable_by_their_owner_only_and_a_failed_backup_leaves_no_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes.
        }

        Assert.Equal(0, (await RunAsync("tenants", "create", "acme")).Exit);
        var file = Path.Combine(_backups, "acme.backup");

        Assert.Equal(0, (await RunAsync("backup", "acme", file)).Exit);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal([file], Directory.GetFiles(_backups));
        if (!TestStorage.IsPostgres)
        {
            // The live stores are no more readable than their backups: their folder is the owner's alone.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_store.DataDirectory, "tenants")));
        }

        var unwritable = Path.Combine(_backups, "missing-folder", "acme.backup");
        Assert.Equal(1, (await RunAsync("backup", "acme", unwritable)).Exit);
        Assert.False(File.Exists(unwritable));
    }

    [Fact]
    public async Task Migrate_creates_the_catalog_and_opens_every_tenant()
    {
        var first = await RunAsync("migrate");
        Assert.Equal((0, "Created the catalog."), (first.Exit, first.Output.Trim()));
        Assert.Equal(0, (await RunAsync("tenants", "create", "north")).Exit);

        var again = await RunAsync("migrate");

        Assert.Equal(0, again.Exit);
        Assert.Contains("The catalog is in place.", again.Output, StringComparison.Ordinal);
        Assert.Contains("north: up to date (metadata version 0)", again.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backup", "NOT_FOUND")]
    [InlineData("restore", "NOT_FOUND")]
    public async Task Verbs_on_an_unknown_tenant_are_refused_with_its_code(string verb, string code)
    {
        var result = await RunAsync(verb, "nobody", Path.Combine(_backups, "x.backup"));

        Assert.Equal(1, result.Exit);
        Assert.StartsWith(code + ": ", result.Error, StringComparison.Ordinal);
        Assert.Contains("nobody", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restoring_a_file_that_is_not_a_backup_is_refused_and_leaves_the_tenant_as_it_was()
    {
        Assert.Equal(0, (await RunAsync("tenants", "create", "acme")).Exit);
        var junk = Path.Combine(_backups, "junk.backup");
        await File.WriteAllTextAsync(junk, "this is not a database");

        var junkRestore = await RunAsync("restore", "acme", junk);
        var missing = await RunAsync("restore", "acme", Path.Combine(_backups, "missing.backup"));
        var existing = await RunAsync("backup", "acme", junk);

        Assert.Equal((1, "INVALID_BACKUP"), (junkRestore.Exit, junkRestore.Error.Split(':')[0]));
        Assert.Equal((1, "NOT_FOUND"), (missing.Exit, missing.Error.Split(':')[0]));
        Assert.Equal((1, "NAME_TAKEN"), (existing.Exit, existing.Error.Split(':')[0]));
        Assert.Contains("acme: up to date", (await RunAsync("migrate")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restoring_another_tenants_backup_is_refused_and_leaves_the_tenant_as_it_was()
    {
        Assert.Equal(0, (await RunAsync("tenants", "create", "acme")).Exit);
        Assert.Equal(0, (await RunAsync("tenants", "create", "globex")).Exit);
        var globexBackup = Path.Combine(_backups, "globex.backup");
        Assert.Equal(0, (await RunAsync("backup", "globex", globexBackup)).Exit);

        var crossed = await RunAsync("restore", "acme", globexBackup);
        var own = await RunAsync("restore", "globex", globexBackup);

        Assert.Equal((1, "INVALID_BACKUP"), (crossed.Exit, crossed.Error.Split(':')[0]));
        Assert.Equal(0, own.Exit);
        var migrate = (await RunAsync("migrate")).Output;
        Assert.Contains("acme: up to date", migrate, StringComparison.Ordinal);
        Assert.Contains("globex: up to date", migrate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_tenants_made_by_one_verb_each_get_their_own_working_key()
    {
        var created = await RunAsync("tenants", "create", "north", "south", "east");

        Assert.Equal((0, ""), (created.Exit, created.Error));
        var keys = created.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Equal(["north", "south", "east"], keys.Select(k => k[0]));
        Assert.Equal(3, keys.Select(k => k[1]).Distinct().Count());
        using var host = new CrmHost(_store);
        using (var north = host.Client("north", keys[0][1]))
        {
            await north.MutateAsync(CreateEntity, new { input = new { name = "project", labels = Labels("Project", "项目"), fields = new[] { Field("title", "TEXT") } } });
        }

        // Each key opens its own tenant: only north's changed.
        var versions = new List<int>();
        foreach (var key in keys)
        {
            using var client = host.Client(key[0], key[1]);
            versions.Add((await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>());
        }

        Assert.Equal([1, 0, 0], versions);
    }

    [Theory]
    [InlineData("taken", "NAME_TAKEN")]
    [InlineData("Bad Id", "INVALID_NAME")]
    [InlineData("west", "NAME_TAKEN")]
    public async Task A_batch_with_a_bad_taken_or_repeated_id_makes_none_of_its_tenants(string culprit, string code)
    {
        Assert.Equal(0, (await RunAsync("tenants", "create", "taken")).Exit);

        var batch = await RunAsync("tenants", "create", "west", "central", culprit);

        Assert.Equal((1, code), (batch.Exit, batch.Error.Split(':')[0]));
        var list = (await RunAsync("tenants", "list")).Output;
        Assert.DoesNotContain("west", list, StringComparison.Ordinal);
        Assert.DoesNotContain("central", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_display_name_goes_with_one_tenant_only()
    {
        var named = await RunAsync("tenants", "create", "north", "south", "--name", "North");

        Assert.Equal((1, "INVALID_INPUT"), (named.Exit, named.Error.Split(':')[0]));
        Assert.DoesNotContain("north", (await RunAsync("tenants", "list")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_tenant_id_and_a_missing_argument_are_refused()
    {
        var bad = await RunAsync("tenants", "create", "Not A Valid Id");
        var missing = await RunAsync("backup", "acme");

        Assert.Equal((1, "INVALID_NAME"), (bad.Exit, bad.Error.Split(':')[0]));
        Assert.Equal(1, missing.Exit);
        Assert.Equal("Required argument missing for command: 'backup'.", missing.Error);
        Assert.Contains("<file>", missing.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Bogus Keyword=1", "STORAGE_MISCONFIGURED", "not a valid PostgreSQL connection string")]
    [InlineData("Database=crm", "STORAGE_MISCONFIGURED", "names no Host")]
    [InlineData("Host=127.0.0.1;Port=1;Username=crm;Timeout=3", "STORE_UNAVAILABLE", "127.0.0.1:1")]
    public async Task A_bad_or_unreachable_postgres_server_is_a_clear_error(string connectionString, string code, string says)
    {
        var result = await RunAsync(new Dictionary<string, string?>
        {
            ["Crm:DataDirectory"] = _store.DataDirectory,
            ["Crm:Storage:Provider"] = "Postgres",
            ["Crm:Storage:ConnectionString"] = connectionString,
        }, "tenants", "list");

        Assert.Equal(1, result.Exit);
        Assert.StartsWith(code + ": ", result.Error, StringComparison.Ordinal);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(_store.Settings(), args);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AdminCommands.RunAsync(args, c => c.AddInMemoryCollection(settings), output, error);
        return (exit, output.ToString(), error.ToString().Trim());
    }
}
