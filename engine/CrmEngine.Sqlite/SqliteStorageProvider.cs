using System.Data.Common;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmEngine.Sqlite;

/// <summary>
/// The embedded default: one SQLite file per tenant, in WAL mode. A store is read on connections
/// kept open with their prepared statements and written by one writer at a time, with commits
/// shared (<see cref="SqliteStoreAccess"/>); decimals are summed exactly (<see cref="SqliteExactSum"/>).
/// </summary>
public sealed class SqliteStorageProvider : IStorageProvider
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintForeignKey = 787;

    public string Name => "sqlite";

    public bool NullsSortAsSmallest => true;

    public static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public void Configure(DbContextOptionsBuilder builder, string connectionString) => builder.UseSqlite(connectionString).AddInterceptors(SqliteExactSum.Interceptor, SqliteMemoryJournals.Interceptor);

    public IStoreAccess OpenStore(string connectionString, IReadOnlyList<IInterceptor> interceptors) => new SqliteStoreAccess(connectionString, interceptors);

    public DbContext CreateServiceContext() =>
        new(new DbContextOptionsBuilder().UseSqlite("Data Source=:memory:").UseStoreNaming().Options);

    /// <summary>Puts a new database file in WAL mode, which lets readers run while one writer commits.</summary>
    public static async Task InitializeFileAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// SQLite's documented recipe for schema changes that rebuild tables: foreign key enforcement
    /// off outside the transaction, everything else inside it, a foreign_key_check before commit.
    /// EF's own PRAGMA statements are dropped because they would end the transaction early.
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
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = false, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await SchemaChangeSteps.RunAsync(model => ContextOn(connection, transaction, model), oldModel, newModel, before,
            async () =>
            {
                foreach (var command in commands)
                {
                    if (!command.CommandText.TrimStart().StartsWith("PRAGMA foreign_keys", StringComparison.OrdinalIgnoreCase))
                    {
                        await ExecuteAsync(connection, transaction, command.CommandText, cancellationToken);
                    }
                }
            },
            after);

        await using (var check = connection.CreateCommand())
        {
            check.Transaction = transaction;
            check.CommandText = "PRAGMA foreign_key_check;";
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                throw new CrmException(ErrorCodes.UnsafeChange, $"The change would leave records in '{reader.GetString(0)}' pointing at records that do not exist.");
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public bool IsUniqueViolation(Exception exception) =>
        FindSqlite(exception) is { SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };

    public bool IsForeignKeyViolation(Exception exception) =>
        FindSqlite(exception) is { SqliteExtendedErrorCode: SqliteConstraintForeignKey };

    /// <summary>Never: writers queue on the store's write gate, and SQLite's own lock waits (busy timeout) rather than failing a transaction half-way.</summary>
    public bool IsConcurrencyConflict(Exception exception) => false;

    private static SqliteException? FindSqlite(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite)
            {
                return sqlite;
            }
        }

        return null;
    }

    private static TenantDbContext ContextOn(DbConnection connection, DbTransaction transaction, IModel model)
    {
        var context = new TenantDbContext(new DbContextOptionsBuilder().UseSqlite(connection).UseModel(model).Options);
        context.Database.UseTransaction(transaction);
        return context;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
