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
}
