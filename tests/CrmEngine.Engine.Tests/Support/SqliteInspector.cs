using Microsoft.Data.Sqlite;

namespace CrmEngine.Engine.Tests.Support;

/// <summary>Reads a tenant database's real schema and rows with plain SQL, independently of the engine.</summary>
public static class SqliteInspector
{
    public static async Task<List<(string Name, string Type)>> ColumnsAsync(string connectionString, string table) =>
        await QueryAsync(connectionString, $"SELECT name, type FROM pragma_table_info('{table}')", r => (r.GetString(0), r.GetString(1)));

    public static async Task<List<(string Name, bool Unique)>> IndexesAsync(string connectionString, string table) =>
        await QueryAsync(connectionString, $"SELECT name, \"unique\" FROM pragma_index_list('{table}')", r => (r.GetString(0), r.GetInt64(1) == 1));

    public static async Task<List<(string Table, string From)>> ForeignKeysAsync(string connectionString, string table) =>
        await QueryAsync(connectionString, $"SELECT \"table\", \"from\" FROM pragma_foreign_key_list('{table}')", r => (r.GetString(0), r.GetString(1)));

    public static async Task<long> CountAsync(string connectionString, string table) =>
        (await QueryAsync(connectionString, $"SELECT count(*) FROM \"{table}\"", r => r.GetInt64(0)))[0];

    public static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<SqliteDataReader, T> read)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
