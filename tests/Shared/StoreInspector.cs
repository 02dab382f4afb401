using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmEngine.Testing;

/// <summary>
/// Reads a tenant store's real schema and rows with plain SQL, independently of the engine, on
/// SQLite or PostgreSQL (where the connection string's search_path selects the tenant's schema).
/// </summary>
public static class StoreInspector
{
    public static bool IsPostgres(string connectionString) => !connectionString.Contains("Data Source=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Columns and their store types as the database reports them (INTEGER/TEXT on SQLite, bigint/text on PostgreSQL).</summary>
    public static Task<List<(string Name, string Type)>> ColumnsAsync(string connectionString, string table) =>
        IsPostgres(connectionString)
            ? QueryAsync(connectionString, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @p0 ORDER BY ordinal_position", r => (r.GetString(0), r.GetString(1)), table)
            : QueryAsync(connectionString, "SELECT name, type FROM pragma_table_info(@p0)", r => (r.GetString(0), r.GetString(1)), table);

    /// <summary>Indexes with their uniqueness and key columns in order.</summary>
    public static async Task<List<(string Name, bool Unique, List<string> Columns)>> IndexesAsync(string connectionString, string table)
    {
        if (IsPostgres(connectionString))
        {
            var rows = await QueryAsync(connectionString, """
                SELECT i.relname, x.indisunique, a.attname
                FROM pg_index x
                JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
                JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) ON true
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                WHERE t.relname = @p0 AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary
                ORDER BY i.relname, k.n
                """, r => (r.GetString(0), r.GetBoolean(1), r.GetString(2)), table);
            return rows.GroupBy(r => (r.Item1, r.Item2)).Select(g => (g.Key.Item1, g.Key.Item2, g.Select(r => r.Item3).ToList())).ToList();
        }

        var indexes = await QueryAsync(connectionString, "SELECT name, \"unique\" FROM pragma_index_list(@p0) WHERE origin <> 'pk'", r => (r.GetString(0), r.GetInt64(1) == 1), table);
        var result = new List<(string, bool, List<string>)>();
        foreach (var (name, unique) in indexes)
        {
            result.Add((name, unique, await QueryAsync(connectionString, "SELECT name FROM pragma_index_info(@p0) ORDER BY seqno", r => r.GetString(0), name)));
        }

        return result;
    }

    /// <summary>Foreign keys as (referenced table, column).</summary>
    public static Task<List<(string Table, string From)>> ForeignKeysAsync(string connectionString, string table) =>
        IsPostgres(connectionString)
            ? QueryAsync(connectionString, """
                SELECT r.relname, a.attname
                FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(c.conkey)
                WHERE c.contype = 'f' AND t.relname = @p0 AND t.relnamespace = current_schema()::regnamespace
                """, r => (r.GetString(0), r.GetString(1)), table)
            : QueryAsync(connectionString, "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(@p0)", r => (r.GetString(0), r.GetString(1)), table);

    /// <summary>The store's tables.</summary>
    public static Task<List<string>> TablesAsync(string connectionString) =>
        IsPostgres(connectionString)
            ? QueryAsync(connectionString, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", r => r.GetString(0))
            : QueryAsync(connectionString, "SELECT name FROM sqlite_master WHERE type = 'table'", r => r.GetString(0));

    /// <summary>
    /// The store's whole schema as text, in a stable order, for comparing two builds' stores: on
    /// SQLite the DDL sqlite_master keeps verbatim; on PostgreSQL every column, constraint and index
    /// definition, with the tenant's schema name replaced by <c>&lt;tenant&gt;</c>.
    /// </summary>
    public static async Task<string> SchemaAsync(string connectionString)
    {
        if (!IsPostgres(connectionString))
        {
            var objects = await QueryAsync(connectionString, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name", r => $"-- {r.GetString(0)} {r.GetString(1)}\n{r.GetString(2)};\n");
            return string.Join("\n", objects);
        }

        var schema = (string)(await ScalarAsync(connectionString, "SELECT current_schema()"))!;
        var columns = await QueryAsync(connectionString, """
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END
                || CASE WHEN is_identity = 'YES' THEN ' IDENTITY ' || identity_generation ELSE '' END
                || coalesce(' DEFAULT ' || column_default, '')
            FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """, r => r.GetString(0));
        var constraints = await QueryAsync(connectionString, """
            SELECT t.relname || ' CONSTRAINT ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relnamespace = current_schema()::regnamespace ORDER BY t.relname, c.conname
            """, r => r.GetString(0));
        var indexes = await QueryAsync(connectionString, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname", r => r.GetString(0));
        return string.Join("\n", [.. columns, "", .. constraints, "", .. indexes, ""]).Replace(schema + ".", "<tenant>.", StringComparison.Ordinal);
    }

    public static async Task<long> CountAsync(string connectionString, string table) =>
        (await QueryAsync(connectionString, $"SELECT count(*) FROM \"{table}\"", r => r.GetInt64(0)))[0];

    /// <summary>Runs SQL both stores understand; parameters are named @p0, @p1, ...</summary>
    public static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<DbDataReader, T> read, params object[] parameters)
    {
        await using var connection = IsPostgres(connectionString) ? (DbConnection)new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "p" + i;
            parameter.Value = parameters[i];
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>A single value (or null).</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql, params object[] parameters) =>
        (await QueryAsync(connectionString, sql, r => r.IsDBNull(0) ? null : r.GetValue(0), parameters)).FirstOrDefault();
}

/// <summary>The store type names <see cref="StoreInspector.ColumnsAsync"/> reports, on the provider the tests run on.</summary>
public static class StoreTypes
{
    public static string Integer => TestStorage.IsPostgres ? "bigint" : "INTEGER";

    public static string Text => TestStorage.IsPostgres ? "text" : "TEXT";

    /// <summary>Decimals (money amounts): numeric on PostgreSQL, TEXT on SQLite (EF keeps them exact as text).</summary>
    public static string Decimal => TestStorage.IsPostgres ? "numeric" : "TEXT";

    public static string Boolean => TestStorage.IsPostgres ? "boolean" : "INTEGER";
}
