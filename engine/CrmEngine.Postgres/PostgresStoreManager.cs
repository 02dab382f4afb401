using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// PostgreSQL stores: the catalog in the <c>crm_catalog</c> schema of the default server, each
/// tenant in a schema of its own (<c>tenant_&lt;id&gt;</c>, dashes as underscores) on the server the
/// catalog names for it. A store is written <c>server/schema</c> in the catalog. Backups are
/// pg_dump archives of the tenant's schema; restoring one puts the schema back as it was.
/// </summary>
public sealed class PostgresStoreManager(PostgresServers servers, PostgresStorageProvider provider, PgTools tools) : IStoreManager
{
    public const string CatalogSchema = "crm_catalog";

    /// <summary>The schema of a tenant: its id is 2 to 40 of [a-z0-9-], so this is a valid, unique identifier.</summary>
    public static string SchemaOf(string tenantId) => "tenant_" + tenantId.Replace('-', '_');

    private string CatalogConnectionString => new NpgsqlConnectionStringBuilder(servers.Get(PostgresServers.Default)) { SearchPath = CatalogSchema }.ConnectionString;

    public void ConfigureCatalog(DbContextOptionsBuilder builder) => provider.Configure(builder, CatalogConnectionString);

    /// <summary>
    /// Creates the catalog schema and tables when missing (under a lock, so hosts starting together
    /// create them once), with the same differ and SQL generator as every other table.
    /// </summary>
    public async Task<bool> EnsureCatalogAsync(CancellationToken cancellationToken)
    {
        await servers.ExtensionSchemaAsync(PostgresServers.Default, cancellationToken);
        await using var connection = await servers.OpenAsync(PostgresServers.Default, cancellationToken, CatalogConnectionString);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresSql.ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", [AdvisoryKeys.For("catalog")], cancellationToken);
        await PostgresSql.ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {PostgresSql.Quote(CatalogSchema)}", [], cancellationToken);
        if (await PostgresSql.ScalarAsync(connection, "SELECT to_regclass($1) IS NOT NULL", [CatalogSchema + ".tenants"], cancellationToken) is true)
        {
            return false;
        }

        var options = new DbContextOptionsBuilder<CatalogDbContext>();
        provider.Configure(options, CatalogConnectionString);
        await using (var context = new CatalogDbContext(options.Options))
        {
            var model = context.GetService<IDesignTimeModel>().Model;
            var operations = context.GetService<IMigrationsModelDiffer>().GetDifferences(null, model.GetRelationalModel());
            foreach (var command in context.GetService<IMigrationsSqlGenerator>().Generate(operations, model))
            {
                // The connection's search_path starts with the catalog schema, so the tables land there.
                await PostgresSql.ExecuteAsync(connection, command.CommandText, [], cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<string> CreateStoreAsync(string tenantId, string? placement, CancellationToken cancellationToken)
    {
        var server = placement ?? servers.PlacementServer;
        var schema = SchemaOf(tenantId);
        await servers.ExtensionSchemaAsync(server, cancellationToken);
        await using var connection = await servers.OpenAsync(server, cancellationToken);
        try
        {
            await PostgresSql.ExecuteAsync(connection, $"CREATE SCHEMA {PostgresSql.Quote(schema)}", [], cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrors.DuplicateSchema)
        {
            throw new CrmException(ErrorCodes.NameTaken, $"A store for tenant '{tenantId}' already exists (schema {schema} on server '{server}'); drop or rename it first.");
        }

        return server + "/" + schema;
    }

    public Task<string> ConnectionStringAsync(string store, CancellationToken cancellationToken)
    {
        var (server, schema) = Parse(store);
        return servers.WithSchemaAsync(server, schema, cancellationToken);
    }

    public async Task DeleteStoreAsync(string store, CancellationToken cancellationToken)
    {
        var (server, schema) = Parse(store);
        await using (var connection = await servers.OpenAsync(server, cancellationToken))
        {
            await PostgresSql.ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {PostgresSql.Quote(schema)} CASCADE", [], cancellationToken);
        }

        NpgsqlConnection.ClearPool(new NpgsqlConnection(await ConnectionStringAsync(store, cancellationToken)));
    }

    public async Task BackupAsync(string store, string file, CancellationToken cancellationToken)
    {
        var (server, schema) = Parse(store);
        // pg_dump writes into the file given (truncating it), which keeps the owner-only mode it was made with.
        // The custom format is compressed and lets pg_restore check what it holds before restoring.
        await tools.RunAsync("pg_dump", servers.Get(server), ["--format=custom", "--no-owner", "--no-privileges", "--schema=" + schema, "--file=" + file], cancellationToken);
    }

    /// <summary>
    /// Restores a tenant's schema from its pg_dump archive. The current schema is renamed aside
    /// first and dropped only once the archive is in, in one transaction; if the restore fails, it
    /// is put back as it was.
    /// </summary>
    public async Task RestoreAsync(string store, string file, CancellationToken cancellationToken)
    {
        var (server, schema) = Parse(store);
        if (!File.Exists(file))
        {
            throw new CrmException(ErrorCodes.NotFound, $"There is no backup file {file}.", "file");
        }

        await CheckArchiveAsync(server, schema, file, cancellationToken);
        var aside = schema + "_r" + DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using var connection = await servers.OpenAsync(server, cancellationToken);
        await PostgresSql.ExecuteAsync(connection, $"ALTER SCHEMA {PostgresSql.Quote(schema)} RENAME TO {PostgresSql.Quote(aside)}", [], cancellationToken);
        try
        {
            await tools.RunAsync("pg_restore", servers.Get(server), ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname=" + new NpgsqlConnectionStringBuilder(servers.Get(server)).Database, file], cancellationToken);
        }
        catch
        {
            await PostgresSql.ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {PostgresSql.Quote(schema)} CASCADE; ALTER SCHEMA {PostgresSql.Quote(aside)} RENAME TO {PostgresSql.Quote(schema)}", [], CancellationToken.None);
            throw;
        }

        await PostgresSql.ExecuteAsync(connection, $"DROP SCHEMA {PostgresSql.Quote(aside)} CASCADE", [], cancellationToken);
        NpgsqlConnection.ClearPool(new NpgsqlConnection(await ConnectionStringAsync(store, cancellationToken)));
    }

    public async Task<IReadOnlyCollection<string>> StoresWithDueWorkAsync(IReadOnlyCollection<string> stores, Engine.Coordination.DueWorkProbe probe, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var server in stores.Select(s => (Store: s, Location: Parse(s))).GroupBy(s => s.Location.Server))
        {
            var schemas = server.Select(s => s.Location.Schema).ToList();
            var withRows = (await PostgresDueWork.SchemasWithRowsAsync(servers, server.Key, schemas, probe, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            found.AddRange(server.Where(s => withRows.Contains(s.Location.Schema)).Select(s => s.Store));
        }

        return found;
    }

    /// <summary>Refuses a file that is not a pg_dump archive, or that holds another tenant's schema.</summary>
    private async Task CheckArchiveAsync(string server, string schema, string file, CancellationToken cancellationToken)
    {
        string contents;
        try
        {
            contents = await tools.RunAsync("pg_restore", servers.Get(server), ["--list", file], cancellationToken);
        }
        catch (PgToolException)
        {
            throw new CrmException(ErrorCodes.InvalidBackup, $"{file} is not a backup of a CrmEngine tenant store (pg_restore can't read it).", "file");
        }

        var schemas = contents.Split('\n').Where(l => l.Contains(" SCHEMA - ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(" SCHEMA - ", StringComparison.Ordinal) + 10)..].Split(' ')[0]).ToList();
        if (!schemas.Contains(schema))
        {
            throw new CrmException(ErrorCodes.InvalidBackup, schemas.Count == 0
                ? $"{file} holds no tenant schema; it is not a backup of a CrmEngine tenant store."
                : $"{file} is a backup of schema {string.Join(", ", schemas)}, not of this tenant ({schema}); restore it to the tenant it came from.", "file");
        }
    }

    private static (string Server, string Schema) Parse(string store)
    {
        var slash = store.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? (store[..slash], store[(slash + 1)..]) : throw new InvalidOperationException($"'{store}' is not a PostgreSQL store location (server/schema).");
    }
}
