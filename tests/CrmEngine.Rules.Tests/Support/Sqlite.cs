using Microsoft.Data.Sqlite;

namespace CrmEngine.Rules.Tests.Support;

/// <summary>Reads a tenant's SQLite file directly, to check what was (not) written without going through the engine.</summary>
public static class Sqlite
{
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
