using CrmEngine.Engine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Sqlite;

/// <summary>
/// Bulk inserts on SQLite: one INSERT prepared once and run per row in the caller's transaction,
/// its parameters made once by EF's own type mappings (so values are stored exactly as EF stores
/// them) and only their values set per row. A row that breaks a constraint fails alone: SQLite backs
/// out the failed statement and keeps the transaction, so a batch's bad rows are refused one by one
/// while the others are written in the same transaction. The statement is built from the model's
/// table and column names, never from input.
/// </summary>
public sealed class SqliteBulkWriter : BulkWriterBase
{
    protected override bool IsolatesRowFailures => true;

    protected override Task WriteOpenAsync<TRow>(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        Write(context, table, columns, rows, isRowFailure: null, cancellationToken);
        return Task.CompletedTask;
    }

    protected override Task<IReadOnlyList<int>> WriteEachOpenAsync(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<Dictionary<string, object?>> rows, Func<Exception, bool> isRowFailure, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<int>>(Write(context, table, columns, rows, isRowFailure, cancellationToken));

    // SQLite answers on the calling thread: synchronous calls save an awaited task per row.
    private static List<int> Write<TRow>(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<TRow> rows, Func<Exception, bool>? isRowFailure, CancellationToken cancellationToken)
        where TRow : class
    {
        using var command = (SqliteCommand)context.Database.GetDbConnection().CreateCommand();
        command.Transaction = (SqliteTransaction?)context.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))});";
        var parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = (SqliteParameter)columns[i].Mapping.CreateParameter(command, "$p" + i, null, columns[i].Property.IsNullable);
            command.Parameters.Add(parameters[i]);
        }

        var refused = new List<int>();
        for (var r = 0; r < rows.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = columns[i].ProviderValueOf(rows[r]) ?? DBNull.Value;
            }

            try
            {
                command.ExecuteNonQuery();
            }
            catch (SqliteException e) when (isRowFailure?.Invoke(e) == true)
            {
                refused.Add(r);
            }
        }

        return refused;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
