using System.Collections.Concurrent;
using System.Linq.Expressions;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Queries;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Sqlite.Reads;

/// <summary>
/// Projected list queries on a read-pool connection, run without EF once EF has run their shape:
/// the first query of a shape (its tree with the operands taken out) goes through EF, which
/// translates it, while the connection records the SQL it sent, its parameters and its result
/// columns; later queries of that shape bind their operands to the same SQL on the connection's
/// prepared statement and read the columns with typed getters. EF stays the only author of SQL;
/// what is skipped is its per-execution work (query context, command and parameter objects,
/// the shaper, a row buffer per call), which was most of a page's read after SQLite's own.
/// </summary>
internal static class SqliteRowReads
{
    private const int MaxShapes = 4096;

    private static readonly ConcurrentDictionary<ShapeKey, Plan?> Plans = new();

    /// <summary>The rows (one value per column, in order), read by EF where only EF may run the query.</summary>
    public static async Task<List<object?[]>> ReadAsync(TenantDbContext context, IQueryable<object?[]> query, IReadOnlyList<Type> columnTypes, CancellationToken cancellationToken)
    {
        if (context.Database.GetDbConnection() is not SqliteConnection { State: System.Data.ConnectionState.Open } connection
            || !SqliteStatementCache.AllowsDirectReads(connection, (SqliteTransaction?)context.Database.CurrentTransaction?.GetDbTransaction()))
        {
            return await query.ToListAsync(cancellationToken);
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (OperandExtractor.TryExtract(query.Expression, values) is not { } shape || values.Values.Any(v => v is null or System.Collections.IEnumerable and not string))
        {
            // Null operands and lists change the SQL EF writes per value: EF runs those.
            return await query.ToListAsync(cancellationToken);
        }

        var key = new ShapeKey(context.Model, shape);
        if (Plans.TryGetValue(key, out var plan))
        {
            if (plan is null)
            {
                return await query.ToListAsync(cancellationToken);
            }

            StorageProbe.DirectRead();
            return await plan.ReadAsync(connection, values, cancellationToken);
        }

        List<object?[]> rows;
        using (var capture = SqliteStatementCache.Capture(connection))
        {
            rows = await query.ToListAsync(cancellationToken);
            if (Plans.Count >= MaxShapes)
            {
                Plans.Clear();
            }

            Plans.TryAdd(key, capture is null ? null : Plan.From(capture, values, columnTypes));
        }

        return rows;
    }

    /// <summary>A shape of query on a model; trees compare by structure, operands having been taken out.</summary>
    private sealed class ShapeKey(IModel model, Expression tree) : IEquatable<ShapeKey>
    {
        private readonly int _hash = HashCode.Combine(model, ExpressionEqualityComparer.Instance.GetHashCode(tree));

        public IModel Model { get; } = model;

        public Expression Tree { get; } = tree;

        public bool Equals(ShapeKey? other) =>
            other is not null && _hash == other._hash && ReferenceEquals(Model, other.Model) && ExpressionEqualityComparer.Instance.Equals(Tree, other.Tree);

        public override bool Equals(object? obj) => Equals(obj as ShapeKey);

        public override int GetHashCode() => _hash;
    }

    /// <summary>
    /// One SQL parameter: the operand it carries and the SQLite type EF gave it (the binder picks the
    /// stored form from it: ids as text, for one). Not its size: read back, that is the length of the
    /// value EF bound, and set, it would cut longer values short.
    /// </summary>
    private sealed record Binding(string Name, string Operand, SqliteType Type);

    private sealed class Plan(string sql, Binding[] bindings, Func<SqliteDataReader, int, object>[] readers)
    {
        /// <summary>The plan EF's single command shows, or null when it does not map onto the operands and columns one to one.</summary>
        public static Plan? From(CommandCapture capture, Dictionary<string, object?> values, IReadOnlyList<Type> columnTypes)
        {
            if (capture.Commands is not [var command] || command.Columns.Count != columnTypes.Count || command.Parameters.Count != values.Count)
            {
                return null;
            }

            var bindings = new List<Binding>();
            foreach (var parameter in command.Parameters)
            {
                var operand = parameter.ParameterName.TrimStart('@', '$', ':');
                if (!values.TryGetValue(operand, out var value) || !Equals(value, parameter.Value))
                {
                    return null;
                }

                bindings.Add(new Binding(parameter.ParameterName, operand, parameter.SqliteType));
            }

            return new Plan(command.Sql, [.. bindings], columnTypes.Select(SqliteColumnReaders.For).ToArray());
        }

        public async Task<List<object?[]>> ReadAsync(SqliteConnection connection, Dictionary<string, object?> values, CancellationToken cancellationToken)
        {
            var command = SqliteStatementCache.Find(connection, sql, null)!;
            foreach (var binding in bindings)
            {
                command.Parameters.Add(new SqliteParameter(binding.Name, binding.Type) { Value = values[binding.Operand] });
            }

            var rows = new List<object?[]>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new object?[readers.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : readers[i](reader, i);
                }

                rows.Add(row);
            }

            return rows;
        }
    }
}
