using System.Collections.Concurrent;
using CrmEngine.Engine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Sqlite.Reads;

/// <summary>
/// By-id reads on SQLite with one statement built from the model (table and column names, never
/// input; the id is a parameter, stored as EF stores a Guid: upper-case text). Values are read with
/// the typed getters of Microsoft.Data.Sqlite, which EF's SQLite type mappings use too, so rows are
/// the same as EF's. About a third of an EF query's cost on the by-id path. Lists of a shape EF has
/// run before are read without EF on read connections (<see cref="SqliteRowReads"/>), others by EF.
/// </summary>
internal sealed class SqliteFastReads : EfFastReads
{
    private readonly ConcurrentDictionary<(IModel Model, string Entity), Shape> _shapes = new();

    public override async Task<Dictionary<string, object>?> LiveByIdAsync(TenantDbContext context, string entity, Guid id, CancellationToken cancellationToken)
    {
        var shape = _shapes.GetOrAdd((context.Model, entity), key => Shape.For(key.Model, key.Entity));
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (SqliteConnection)context.Database.GetDbConnection();
            var transaction = (SqliteTransaction?)context.Database.CurrentTransaction?.GetDbTransaction();
            // A read connection's prepared command when there is one (never inside a write), else a new one.
            var prepared = SqliteStatementCache.Find(connection, shape.Sql, transaction);
            await using var fresh = prepared is null ? new SqliteCommand(shape.Sql, connection, transaction) : null;
            var command = prepared ?? fresh!;
            command.Parameters.AddWithValue("$id", id.ToString("D").ToUpperInvariant());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var row = new Dictionary<string, object>(shape.Columns.Length, StringComparer.Ordinal);
            for (var i = 0; i < shape.Columns.Length; i++)
            {
                row[shape.Columns[i].Name] = reader.IsDBNull(i) ? null! : shape.Columns[i].Read(reader, i);
            }

            return row;
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    public override Task<List<object?[]>> ReadRowsAsync(TenantDbContext context, IQueryable<object?[]> query, IReadOnlyList<Type> columnTypes, CancellationToken cancellationToken) =>
        SqliteRowReads.ReadAsync(context, query, columnTypes, cancellationToken);

    private sealed record Column(string Name, Func<SqliteDataReader, int, object> Read);

    private sealed record Shape(string Sql, Column[] Columns)
    {
        public static Shape For(IModel model, string entity)
        {
            var type = model.FindEntityType(entity) ?? throw new InvalidOperationException($"The model has no entity '{entity}'.");
            var table = StoreObjectIdentifier.Table(type.GetTableName()!);
            var properties = type.GetProperties().ToList();
            var columns = properties.Select(p => new Column(p.Name, SqliteColumnReaders.For(p.ClrType))).ToArray();
            var list = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
            var sql = $"SELECT {list} FROM {Quote(type.GetTableName()!)} WHERE {Quote(RecordColumns.Id)} = $id AND {Quote(RecordColumns.DeletedAt)} IS NULL LIMIT 1";
            return new Shape(sql, columns);
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
