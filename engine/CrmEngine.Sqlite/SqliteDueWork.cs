using CrmEngine.Engine.Coordination;
using Microsoft.Data.Sqlite;

namespace CrmEngine.Sqlite;

/// <summary>
/// A sweep's question (<see cref="DueWorkProbe"/>) asked of each tenant file directly, on a pooled
/// plain connection: no model is built and no tenant is loaded for a file with nothing to do.
/// </summary>
internal static class SqliteDueWork
{
    public static async Task<IReadOnlyCollection<string>> StoresWithDueWorkAsync(IEnumerable<(string Store, string Path)> stores, DueWorkProbe probe, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var sql = "SELECT " + probe.Render(table => "\"" + table + "\"");
        foreach (var (store, path) in stores)
        {
            if (!File.Exists(path) || await HasRowAsync(path, sql, probe, cancellationToken) != false)
            {
                found.Add(store);
            }
        }

        return found;
    }

    /// <summary>Null when the file can't answer: a table or a column is not there yet, or the file is not a database.</summary>
    private static async Task<bool?> HasRowAsync(string path, string sql, DueWorkProbe probe, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(SqliteStorageProvider.ConnectionStringFor(path));
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in probe.Parameters)
            {
                command.Parameters.AddWithValue("@" + name, value);
            }

            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
        }
        catch (SqliteException)
        {
            return null;
        }
    }
}
