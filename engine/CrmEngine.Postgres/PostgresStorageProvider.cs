using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// PostgreSQL: every tenant in its own schema, chosen by the connection's search_path (so models
/// carry no schema and tenants with the same metadata share one). Concurrent writers are the
/// server's business: no write gate, and collisions surface as constraint or serialization errors.
/// </summary>
public sealed class PostgresStorageProvider : IStorageProvider
{
    public string Name => "postgres";

    /// <summary>
    /// As on SQLite: queries order with NULLS FIRST ascending and NULLS LAST descending
    /// (<see cref="NullsSmallestSqlGeneratorFactory"/>), and indexes are built NULLS FIRST to serve
    /// that order, so sorted pages need no extra null-placement key (which no index could serve).
    /// </summary>
    public bool NullsSortAsSmallest => true;

    public void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        Use(builder.UseNpgsql(connectionString));

    /// <summary>Npgsql pools connections and prepares statements itself, and the server takes many writers at once: nothing to keep per store.</summary>
    public IStoreAccess OpenStore(string connectionString, IReadOnlyList<IInterceptor> interceptors) => PlainStoreAccess.Instance;

    public DbContext CreateServiceContext() =>
        // Building, diffing and generating never opens this connection.
        new(Use(new DbContextOptionsBuilder().UseNpgsql("Host=localhost")).UseStoreNaming().Options);

    /// <summary>
    /// PostgreSQL runs DDL inside transactions, so the old-model work, the DDL and the new-model work
    /// commit together or not at all; foreign keys are checked as each statement runs.
    /// </summary>
    public async Task MigrateAsync(
        string connectionString,
        IModel? oldModel,
        IModel newModel,
        IReadOnlyList<MigrationCommand> commands,
        Func<TenantDbContext, Task>? before,
        Func<TenantDbContext, Task>? after,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SchemaChangeSteps.RunAsync(model => ContextOn(connection, transaction, model), oldModel, newModel, before,
            async () =>
            {
                foreach (var command in commands)
                {
                    await using var ddl = new NpgsqlCommand(command.CommandText, connection, transaction);
                    await ddl.ExecuteNonQueryAsync(cancellationToken);
                }
            },
            after);
        await transaction.CommitAsync(cancellationToken);
        TablesChanged(connectionString);
    }

    /// <summary>
    /// Tenant connections prepare their statements (<see cref="PostgresServers.WithSchemaAsync"/>);
    /// a statement prepared before a column changed type fails once it runs again ("cached plan must
    /// not change result type"). Clearing the pool closes idle connections now and busy ones when
    /// they come back, so every statement is prepared afresh against the new tables.
    /// </summary>
    public void TablesChanged(string connectionString) => NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));

    /// <summary>The 64-bit transaction id (xid8, which never wraps around), assigned on the transaction's first write.</summary>
    public string TransactionIdDefaultSql => "(pg_current_xact_id()::text::bigint)";

    /// <summary>The xmin of a fresh snapshot: every transaction below it has ended, and every transaction that begins later gets a higher id.</summary>
    public async Task<long?> OldestOpenTransactionAsync(DbContext context, CancellationToken cancellationToken) =>
        await context.Database.SqlQueryRaw<long>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").SingleAsync(cancellationToken);

    public bool IsUniqueViolation(Exception exception) => PostgresErrors.Is(exception, PostgresErrors.UniqueViolation);

    public bool IsForeignKeyViolation(Exception exception) => PostgresErrors.Is(exception, PostgresErrors.ForeignKeyViolation);

    public bool IsConcurrencyConflict(Exception exception) => PostgresErrors.Is(exception, PostgresErrors.SerializationFailure, PostgresErrors.DeadlockDetected);

    private static DbContextOptionsBuilder Use(DbContextOptionsBuilder builder) =>
        builder.ReplaceService<IMigrationsSqlGenerator, UsingCastMigrationsSqlGenerator>()
            .ReplaceService<Microsoft.EntityFrameworkCore.Query.IQuerySqlGeneratorFactory, NullsSmallestSqlGeneratorFactory>();

    private static TenantDbContext ContextOn(NpgsqlConnection connection, NpgsqlTransaction transaction, IModel model)
    {
        var context = new TenantDbContext(Use(new DbContextOptionsBuilder().UseNpgsql(connection).UseModel(model)).Options);
        context.Database.UseTransaction(transaction);
        return context;
    }
}
