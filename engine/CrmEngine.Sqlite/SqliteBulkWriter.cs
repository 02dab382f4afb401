using CrmEngine.Engine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Sqlite;

/// <summary>
/// Bulk inserts on SQLite: one INSERT prepared once and run per row in the caller's transaction
/// (<see cref="SqliteRowInsert"/>), for a batch of rows at once or, kept prepared, for rows written
/// one at a time by a bulk write's items. A row that breaks a constraint fails alone: SQLite backs
/// out the failed statement and keeps the transaction, so a batch's bad rows are refused one by one
/// while the others are written in the same transaction.
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

    protected override IPreparedInsert PrepareOpen(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns) => new SqliteRowInsert(context, table, columns);

    private static List<int> Write<TRow>(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<TRow> rows, Func<Exception, bool>? isRowFailure, CancellationToken cancellationToken)
        where TRow : class
    {
        using var insert = new SqliteRowInsert(context, table, columns);
        var refused = new List<int>();
        for (var r = 0; r < rows.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                insert.Insert(rows[r]);
            }
            catch (SqliteException e) when (isRowFailure?.Invoke(e) == true)
            {
                refused.Add(r);
            }
        }

        return refused;
    }
}

/// <summary>
/// One INSERT of a table on the context's open connection, in its current transaction: its
/// parameters made once by EF's own type mappings (so values are stored exactly as EF stores them)
/// and only their values set per row. The statement is built from the model's table and column
/// names, never from input. SQLite answers on the calling thread: the synchronous call saves an
/// awaited task per row.
/// </summary>
internal sealed class SqliteRowInsert : IPreparedInsert, IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;
    private readonly IReadOnlyList<BulkColumn> _columns;

    public SqliteRowInsert(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns)
    {
        _columns = columns;
        _command = (SqliteCommand)context.Database.GetDbConnection().CreateCommand();
        _command.Transaction = (SqliteTransaction?)context.Database.CurrentTransaction?.GetDbTransaction();
        _command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))});";
        _parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _parameters[i] = (SqliteParameter)columns[i].Mapping.CreateParameter(_command, "$p" + i, null, columns[i].Property.IsNullable);
            _command.Parameters.Add(_parameters[i]);
        }
    }

    public void Insert(object row)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = _columns[i].ProviderValueOf(row) ?? DBNull.Value;
        }

        _command.ExecuteNonQuery();
    }

    public Task InsertAsync(object row, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Insert(row);
        return Task.CompletedTask;
    }

    public void Dispose() => _command.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
