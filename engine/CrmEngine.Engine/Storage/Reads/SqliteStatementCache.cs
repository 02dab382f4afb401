using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CrmEngine.Engine.Storage.Reads;

/// <summary>
/// The prepared commands of the connections a <see cref="SqliteReadPool"/> keeps open, by SQL text.
/// Microsoft.Data.Sqlite keeps a command's compiled statements for as long as the command lives
/// on an open connection and re-runs them after a reset; a fresh command compiles its SQL again,
/// which profiling put at a quarter of a read by id. Only pool connections have a cache: a write's
/// connection never does, so this never runs inside a transaction.
/// </summary>
internal static class SqliteStatementCache
{
    // A handful of statement shapes per entity and query form; a tenant with many shapes starts over.
    private const int MaxStatementsPerConnection = 256;

    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Caches = new();

    public static void Register(SqliteConnection connection) => Caches.AddOrUpdate(connection, new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));

    /// <summary>
    /// The connection's command for <paramref name="sql"/>, made on first use, with no parameters;
    /// null for connections outside the pool or inside a transaction.
    /// </summary>
    public static SqliteCommand? Find(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        if (transaction is not null || !Caches.TryGetValue(connection, out var commands))
        {
            return null;
        }

        if (!commands.TryGetValue(sql, out var command))
        {
            if (commands.Count >= MaxStatementsPerConnection)
            {
                Clear(commands);
            }

            command = connection.CreateCommand();
            command.CommandText = sql;
            commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    public static void Forget(SqliteConnection connection)
    {
        if (Caches.TryGetValue(connection, out var commands))
        {
            Clear(commands);
            Caches.Remove(connection);
        }
    }

    private static void Clear(Dictionary<string, SqliteCommand> commands)
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }

        commands.Clear();
    }
}
