using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// What differs between database engines: how a context connects, how an open store is read from
/// and written to (<see cref="OpenStore"/>), how a schema change runs and how constraint violations
/// are recognized. Everything else (models, SQL, DDL) is EF Core's. A provider package registers
/// this with the rest of its contract (<see cref="Tenancy.IStoreManager"/>, <see cref="IFastReads"/>,
/// <see cref="Search.ISearchIndex"/>, <see cref="IBulkWriter"/>): <c>AddCrmSqlite()</c> or
/// <c>AddCrmPostgres()</c>.
/// </summary>
public interface IStorageProvider
{
    /// <summary>A stable name ("sqlite", "postgres"); part of model cache keys.</summary>
    string Name { get; }

    /// <summary>
    /// True when the store orders NULL before every value in ascending order (SQLite), false when
    /// after (PostgreSQL). Sorting states null placement explicitly only where it differs, so the
    /// usual orders still run off an index.
    /// </summary>
    bool NullsSortAsSmallest { get; }

    /// <summary>
    /// Points a tenant context at a store. Contexts configured here must sum decimal columns exactly,
    /// whatever their size (<see cref="Records.Querying.Aggregation.ExactSums"/> reads each sum as text).
    /// </summary>
    void Configure(DbContextOptionsBuilder builder, string connectionString);

    /// <summary>
    /// How this process reads from and writes to one store, from its first use until it is let go:
    /// the context each read runs on and the transaction each write runs in. <paramref name="interceptors"/>
    /// are the host's EF interceptors, for contexts the provider makes itself.
    /// </summary>
    IStoreAccess OpenStore(string connectionString, IReadOnlyList<IInterceptor> interceptors);

    /// <summary>
    /// Called when a store's tables changed after connections read them: by a schema change here
    /// (after <see cref="MigrateAsync"/> commits) or on another host (when this one reloads the
    /// store's metadata). Drops what the driver keeps about the old tables, such as prepared
    /// statements whose result types a column's new type would break.
    /// </summary>
    void TablesChanged(string connectionString)
    {
    }

    /// <summary>A model-less context whose provider services build models, diff them and write DDL.</summary>
    DbContext CreateServiceContext();

    /// <summary>
    /// Runs schema commands atomically with the work around them: <paramref name="before"/> on the
    /// old model, then the DDL, then <paramref name="after"/> on the new model, in one transaction.
    /// </summary>
    Task MigrateAsync(
        string connectionString,
        Microsoft.EntityFrameworkCore.Metadata.IModel? oldModel,
        Microsoft.EntityFrameworkCore.Metadata.IModel newModel,
        IReadOnlyList<MigrationCommand> commands,
        Func<TenantDbContext, Task>? before,
        Func<TenantDbContext, Task>? after,
        CancellationToken cancellationToken);

    /// <summary>
    /// Where transactions commit concurrently, and so out of the order they wrote in (PostgreSQL): the
    /// SQL of a column default that records the writing transaction's id, an integer that only grows.
    /// Null where one writer commits at a time (SQLite), whose outbox sequence is commit order itself.
    /// </summary>
    string? TransactionIdDefaultSql => null;

    /// <summary>
    /// The lowest transaction id (as <see cref="TransactionIdDefaultSql"/> records them) that may still
    /// commit: every change with a smaller one has committed or rolled back, and no later commit gets
    /// one. Null where there is no such id (<see cref="TransactionIdDefaultSql"/> is null).
    /// </summary>
    Task<long?> OldestOpenTransactionAsync(DbContext context, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <summary>True when a failed save broke a unique index.</summary>
    bool IsUniqueViolation(Exception exception);

    /// <summary>True when a failed save broke a foreign key.</summary>
    bool IsForeignKeyViolation(Exception exception);

    /// <summary>
    /// True when the store gave up a transaction because it collided with a concurrent one (a
    /// deadlock or serialization failure on PostgreSQL): the write may simply be tried again.
    /// </summary>
    bool IsConcurrencyConflict(Exception exception);
}
