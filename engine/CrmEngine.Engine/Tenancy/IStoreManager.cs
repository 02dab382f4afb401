using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Where the catalog and the tenants' stores live, and how a store is made, found, deleted, backed
/// up and restored: files in the data directory on SQLite, schemas on PostgreSQL servers. A store is
/// named by its location as the catalog keeps it (<see cref="TenantRow.Store"/>).
/// </summary>
public interface IStoreManager
{
    /// <summary>Points a catalog context at the catalog.</summary>
    void ConfigureCatalog(DbContextOptionsBuilder builder);

    /// <summary>Creates the catalog, and whatever every store needs, when missing. True when the catalog was created now.</summary>
    Task<bool> EnsureCatalogAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes an empty store for a new tenant (without tables: the caller creates those) and returns
    /// its location. <paramref name="placement"/> names where it goes (a PostgreSQL server), null for
    /// the default. Refuses with NAME_TAKEN when a store for the tenant is already there.
    /// </summary>
    Task<string> CreateStoreAsync(string tenantId, string? placement, CancellationToken cancellationToken);

    /// <summary>The connection string that reaches a store (on PostgreSQL, with the tenant's schema as search_path).</summary>
    Task<string> ConnectionStringAsync(string store, CancellationToken cancellationToken);

    /// <summary>Deletes a store and all its data. A store that is already gone is not an error.</summary>
    Task DeleteStoreAsync(string store, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a consistent copy of a store, taken while it is in use, into <paramref name="file"/>: an
    /// empty file the caller made (owner-only), whose permissions the copy keeps.
    /// </summary>
    Task BackupAsync(string store, string file, CancellationToken cancellationToken);

    /// <summary>Replaces a store's content with a backup of it; the store is as it was when the backup was taken.</summary>
    Task RestoreAsync(string store, string file, CancellationToken cancellationToken);

    /// <summary>
    /// Which of <paramref name="stores"/> answer yes to <paramref name="probe"/>, asked without
    /// going through the tenants' own connection pools (on PostgreSQL, one statement per server for
    /// all its schemas). A store that can't answer (its table not made yet, a store gone meanwhile)
    /// counts as a yes, so the caller looks at it the usual way.
    /// </summary>
    Task<IReadOnlyCollection<string>> StoresWithDueWorkAsync(IReadOnlyCollection<string> stores, Coordination.DueWorkProbe probe, CancellationToken cancellationToken);
}
