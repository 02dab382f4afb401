using System.Collections.Concurrent;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// The PostgreSQL servers (really: databases) this install knows by name: "default", the catalog's,
/// from <c>Crm:Storage:ConnectionString</c>, and any under <c>Crm:Storage:Servers</c>. Each gets the
/// pg_trgm extension the search index needs, once, in a schema of its own.
/// </summary>
public sealed class PostgresServers
{
    public const string Default = "default";

    /// <summary>Where pg_trgm goes when it is not installed yet.</summary>
    public const string ExtensionSchema = "crm_ext";

    private readonly Dictionary<string, string> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _extensionSchemas = new(StringComparer.Ordinal);

    public PostgresServers(IOptions<CrmEngineOptions> options)
    {
        var storage = options.Value.Storage;
        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            throw new CrmException(ErrorCodes.StorageMisconfigured, "Crm:Storage:Provider is Postgres, but Crm:Storage:ConnectionString is empty; set it (for example Crm__Storage__ConnectionString='Host=127.0.0.1;Database=crm;Username=crm').");
        }

        _servers[Default] = Normalize("Crm:Storage:ConnectionString", storage.ConnectionString);
        foreach (var (name, connectionString) in storage.Servers)
        {
            _servers[name] = Normalize("Crm:Storage:Servers:" + name, connectionString);
        }

        PlacementServer = storage.PlacementServer ?? Default;
        if (!_servers.ContainsKey(PlacementServer))
        {
            throw new CrmException(ErrorCodes.StorageMisconfigured, $"Crm:Storage:PlacementServer names '{PlacementServer}', which is not among the configured servers ({string.Join(", ", _servers.Keys)}).");
        }
    }

    public IReadOnlyCollection<string> Names => _servers.Keys;

    /// <summary>Where new tenants go when none is named.</summary>
    public string PlacementServer { get; }

    /// <summary>The connection string of a server, without any search_path.</summary>
    public string Get(string name) => _servers.TryGetValue(name, out var connectionString)
        ? connectionString
        : throw new CrmException(ErrorCodes.InvalidInput, $"There is no PostgreSQL server named '{name}'; configured: {string.Join(", ", _servers.Keys)}.", "server");

    /// <summary>
    /// A server's connection string with a search_path of <paramref name="schema"/> then the pg_trgm
    /// schema, and statements prepared once they have run twice on a connection (unless the
    /// configured string says otherwise): EF Core does not prepare its commands, and parsing and
    /// planning each one again was most of the server's work on a read by id or a page. The tenant's
    /// tables changing clears the pool (<see cref="PostgresStorageProvider.TablesChanged"/>).
    /// </summary>
    public async Task<string> WithSchemaAsync(string server, string schema, CancellationToken cancellationToken)
    {
        var extension = await ExtensionSchemaAsync(server, cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(Get(server)) { SearchPath = schema == extension ? schema : schema + "," + extension };
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Makes sure pg_trgm is installed on a server and says in which schema. An extension an admin
    /// installed elsewhere (say in public) is used where it is.
    /// </summary>
    public async Task<string> ExtensionSchemaAsync(string server, CancellationToken cancellationToken)
    {
        var lazy = _extensionSchemas.GetOrAdd(server, name => new Lazy<Task<string>>(() => InstallExtensionAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // Not cached: the next use tries again (an administrator may have installed it meanwhile).
            _extensionSchemas.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(server, lazy));
            throw;
        }
    }

    /// <summary>
    /// An open connection to a server (with <paramref name="connectionString"/> if given, else the
    /// server's own). A server that can't be reached or refuses the login is a
    /// <see cref="ErrorCodes.StoreUnavailable"/> error that names it, not a socket error.
    /// </summary>
    public async Task<NpgsqlConnection> OpenAsync(string server, CancellationToken cancellationToken, string? connectionString = null)
    {
        var connection = new NpgsqlConnection(connectionString ?? Get(server));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
            throw new CrmException(ErrorCodes.StoreUnavailable,
                $"PostgreSQL server '{server}' ({builder.Host}:{builder.Port}, database {builder.Database ?? "named after the user"}) can't be used: {(e is PostgresException p ? p.MessageText : e.Message)}. Check that it runs and that its connection string (Crm:Storage) is right.");
        }
    }

    private async Task<string> InstallExtensionAsync(string server)
    {
        await using var connection = await OpenAsync(server, CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        // Hosts starting together install it once.
        await PostgresSql.ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", [AdvisoryKeys.For("extensions")], CancellationToken.None);
        try
        {
            await PostgresSql.ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {PostgresSql.Quote(ExtensionSchema)}; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {PostgresSql.Quote(ExtensionSchema)};", [], CancellationToken.None);
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException($"The pg_trgm extension (search) is missing on server '{server}' and could not be installed ({e.MessageText}); ask an administrator to run CREATE EXTENSION pg_trgm in that database.", e);
        }

        var schema = (string)(await PostgresSql.ScalarAsync(connection,
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'", [], CancellationToken.None))!;
        await transaction.CommitAsync();
        return schema;
    }

    /// <summary>Names the engine's connections so an administrator can tell them apart in pg_stat_activity.</summary>
    private static string Normalize(string setting, string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword or value, never the rest of the string (it may hold a password).
            throw new CrmException(ErrorCodes.StorageMisconfigured, $"{setting} is not a valid PostgreSQL connection string: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new CrmException(ErrorCodes.StorageMisconfigured, $"{setting} names no Host; set one, for example 'Host=127.0.0.1;Database=crm;Username=crm'.");
        }

        builder.ApplicationName ??= "crmengine";
        return builder.ConnectionString;
    }
}
