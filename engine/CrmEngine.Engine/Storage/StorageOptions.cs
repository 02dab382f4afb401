namespace CrmEngine.Engine.Storage;

/// <summary>
/// Which database engine holds the catalog and the tenants, bound from "Crm:Storage"
/// (<c>Crm__Storage__Provider=Postgres</c>, <c>Crm__Storage__ConnectionString=Host=...;Database=crm</c>).
/// </summary>
public sealed class StorageOptions
{
    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    /// <summary>"Sqlite" (the embedded default: files in the data directory) or "Postgres".</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>PostgreSQL: the database holding the catalog, and the server new tenants go to unless told otherwise.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL: more servers (or databases) tenants may be placed on, by name. The catalog keeps
    /// each tenant's server name, so hosts only need the same names configured. The catalog's own
    /// server is always available as "default".
    /// </summary>
    public Dictionary<string, string> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>PostgreSQL: where new tenants go when no server is named ("default" unless set).</summary>
    public string? PlacementServer { get; set; }

    /// <summary>PostgreSQL: pg_dump and pg_restore for backups; found on the PATH or in /usr/lib/postgresql when not set.</summary>
    public string? PgToolsDirectory { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
