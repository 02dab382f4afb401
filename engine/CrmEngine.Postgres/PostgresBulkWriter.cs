using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// Bulk inserts on PostgreSQL with binary COPY on the context's connection, inside its transaction
/// (COPY joins the session's open transaction like any statement). Each value is written as the
/// column's store type from EF's mapping, after EF's value converter if the mapping has one; the
/// COPY statement is built from the model's table and column names, never from input. Constraint
/// violations surface as the usual unique and foreign-key errors when the COPY completes.
/// </summary>
public sealed class PostgresBulkWriter : BulkWriterBase
{
    protected override async Task WriteOpenAsync<TRow>(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        var copy = $"COPY {PostgresSql.Quote(table)} ({string.Join(", ", columns.Select(c => PostgresSql.Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await ((NpgsqlConnection)context.Database.GetDbConnection()).BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                var value = column.ProviderValueOf(row);
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(value, column.Mapping.StoreType, cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    protected override IPreparedInsert PrepareOpen(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns) => new RowInsert(context, table, columns);

    /// <summary>
    /// One INSERT per row on the context's connection, for rows written one at a time (a bulk write's
    /// items, each visible to the next): a COPY can't be read until it completes. Its parameters are
    /// made once by EF's type mappings, as EF's own are; only their values change per row.
    /// </summary>
    private sealed class RowInsert : IPreparedInsert
    {
        private readonly NpgsqlCommand _command;
        private readonly IReadOnlyList<BulkColumn> _columns;

        public RowInsert(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns)
        {
            _columns = columns;
            _command = (NpgsqlCommand)context.Database.GetDbConnection().CreateCommand();
            _command.CommandText = $"INSERT INTO {PostgresSql.Quote(table)} ({string.Join(", ", columns.Select(c => PostgresSql.Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            for (var i = 0; i < columns.Count; i++)
            {
                _command.Parameters.Add(columns[i].Mapping.CreateParameter(_command, "p" + i, null, columns[i].Property.IsNullable));
            }
        }

        public async Task InsertAsync(object row, CancellationToken cancellationToken)
        {
            for (var i = 0; i < _columns.Count; i++)
            {
                _command.Parameters[i].Value = _columns[i].ProviderValueOf(row) ?? DBNull.Value;
            }

            await _command.ExecuteNonQueryAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => _command.DisposeAsync();
    }
}
