using System.CommandLine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Hosting;
using CrmEngine.Postgres;

namespace CrmEngine.Host.Admin;

/// <summary>
/// The host's admin verbs, run with the same configuration as the server
/// (<c>dotnet run --project host/CrmEngine.Host -- tenants list</c>): they build the same services,
/// do their one job against the configured store and exit, without serving HTTP or starting
/// background work. Exit code 0 when done; 1 when refused, failed or misused (the reason on stderr).
/// </summary>
public static class AdminCommands
{
    private static readonly string[] Verbs = ["tenants", "migrate", "backup", "restore", "help"];

    /// <summary>True when the arguments name an admin verb; anything else starts the server.</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    /// <param name="args">The verb and its arguments.</param>
    /// <param name="configure">Configuration on top of the host's own (tests point it at their store).</param>
    /// <param name="output">Where results go (stdout by default).</param>
    /// <param name="error">Where refusals and failures go (stderr by default).</param>
    public static async Task<int> RunAsync(string[] args, Action<IConfigurationBuilder>? configure = null, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (args is ["help", ..])
        {
            args = ["--help"];
        }

        // The verb's words are not configuration: the builder reads appsettings and the environment only.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        configure?.Invoke(builder.Configuration);
        builder.AddCrmEngine();
        await using var app = builder.Build();
        var commands = new AdminVerbs(app.Services, output);
        try
        {
            return await commands.Root().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CrmException e)
        {
            await error.WriteLineAsync($"{e.Code}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is PgToolException or InvalidOperationException or IOException or Npgsql.NpgsqlException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}

/// <summary>The verbs themselves, over the host's services.</summary>
internal sealed class AdminVerbs(IServiceProvider services, TextWriter output)
{
    private TenantCatalog Catalog => services.GetRequiredService<TenantCatalog>();

    /// <summary>A verb's action, run once the catalog exists (a fresh install has none until first used).</summary>
    private Func<ParseResult, CancellationToken, Task<int>> OnCatalog(Func<ParseResult, CancellationToken, Task<int>> action) => async (parse, token) =>
    {
        await Catalog.EnsureCreatedAsync(token);
        return await action(parse, token);
    };

    public RootCommand Root()
    {
        var root = new RootCommand("CrmEngine admin verbs. Without a verb, `dotnet run --project host/CrmEngine.Host` starts the server.")
        {
            Tenants(),
            Migrate(),
            Backup(),
            Restore(),
        };
        return root;
    }

    private Command Tenants()
    {
        var list = new Command("list", "Lists the tenants and where each one's store is.");
        list.SetAction(OnCatalog(async (_, token) =>
        {
            foreach (var tenant in await Catalog.ListTenantsAsync(token))
            {
                await output.WriteLineAsync($"{tenant.Id}\t{tenant.DisplayName}\t{tenant.Store}\t{tenant.CreatedAt:yyyy-MM-dd HH:mm:ss}Z");
            }

            return 0;
        }));

        var ids = new Argument<string[]>("id") { Description = "The tenant id, or several: 2 to 40 lower-case letters, digits or dashes, starting with a letter.", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string?>("--name") { Description = "A display name (the id when omitted); with one id only." };
        var server = new Option<string?>("--server") { Description = "PostgreSQL: the configured server (Crm:Storage:Servers) to place the tenants on." };
        var create = new Command("create", "Creates tenants with empty stores (and the default plugins) and prints each one's first admin API key, once.") { ids, name, server };
        create.SetAction(OnCatalog(async (parse, token) => await new TenantBatch(services, output).CreateAsync(parse.GetRequiredValue(ids), parse.GetValue(name), parse.GetValue(server), token)));

        var deleteId = new Argument<string>("id") { Description = "The tenant to delete." };
        var yes = new Option<bool>("--yes") { Description = "Confirms that the tenant's store and all its data go." };
        var delete = new Command("delete", "Deletes a tenant: its keys, its catalog entry and its store with all its data.") { deleteId, yes };
        delete.SetAction(OnCatalog(async (parse, token) =>
        {
            var tenantId = parse.GetRequiredValue(deleteId);
            if (!parse.GetValue(yes))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"Deleting tenant '{tenantId}' removes its store and all its data for good; pass --yes to confirm (back it up first with: backup {tenantId} <file>).");
                return 1;
            }

            var row = await Catalog.DeleteTenantAsync(tenantId, token);
            await output.WriteLineAsync($"Deleted tenant '{row.Id}' and its store ({row.Store}).");
            return 0;
        }));

        return new Command("tenants", "Lists, creates and deletes tenants.") { list, create, delete };
    }

    private Command Migrate()
    {
        var migrate = new Command("migrate", "Creates the catalog if missing and brings every tenant store's system tables up to this version of the engine.");
        migrate.SetAction(async (_, token) =>
        {
            var created = await Catalog.EnsureCreatedAsync(token);
            await output.WriteLineAsync(created ? "Created the catalog." : "The catalog is in place.");
            var registry = services.GetRequiredService<TenantRegistry>();
            foreach (var tenant in await Catalog.ListTenantsAsync(token))
            {
                // Opening a store upgrades its system tables and builds a missing search index.
                var store = await registry.GetAsync(tenant.Id, token);
                await output.WriteLineAsync($"{tenant.Id}: up to date (metadata version {store.Metadata.Version}).");
            }

            return 0;
        });
        return migrate;
    }

    private Command Backup()
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant to back up." };
        var file = new Argument<string>("file") { Description = "A new file to write (an SQLite database, or a pg_dump archive on PostgreSQL)." };
        var backup = new Command("backup", "Writes a consistent backup of one tenant's store while it stays in use.") { tenant, file };
        backup.SetAction(OnCatalog(async (parse, token) =>
        {
            var path = Path.GetFullPath(parse.GetRequiredValue(file));
            await services.GetRequiredService<TenantBackups>().BackupAsync(parse.GetRequiredValue(tenant), path, token);
            await output.WriteLineAsync($"Backed up tenant '{parse.GetRequiredValue(tenant)}' to {path} ({new FileInfo(path).Length:N0} bytes).");
            return 0;
        }));
        return backup;
    }

    private Command Restore()
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant to restore." };
        var file = new Argument<string>("file") { Description = "A backup written by the backup verb." };
        var restore = new Command("restore", "Puts a tenant's store back as it was in a backup. On SQLite, stop the server first: it can't tell a running one.") { tenant, file };
        restore.SetAction(OnCatalog(async (parse, token) =>
        {
            var path = Path.GetFullPath(parse.GetRequiredValue(file));
            await services.GetRequiredService<TenantBackups>().RestoreAsync(parse.GetRequiredValue(tenant), path, token);
            await output.WriteLineAsync($"Restored tenant '{parse.GetRequiredValue(tenant)}' from {path}.");
            return 0;
        }));
        return restore;
    }
}
