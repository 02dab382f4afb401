using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CrmEngine.Sqlite.Reads;

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

    private static readonly ConditionalWeakTable<SqliteConnection, Statements> Caches = new();

    /// <summary>
    /// Gives a pool connection its statement cache. <paramref name="directReads"/>: whether reads may
    /// run on it without EF (<see cref="SqliteRowReads"/>); not when the host registered interceptors
    /// of its own, which must see every command.
    /// </summary>
    public static void Register(SqliteConnection connection, bool directReads) => Caches.AddOrUpdate(connection, new Statements { DirectReads = directReads });

    /// <summary>
    /// The connection's command for <paramref name="sql"/>, made on first use, with no parameters;
    /// null for connections outside the pool or inside a transaction.
    /// </summary>
    public static SqliteCommand? Find(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        if (transaction is not null || !Caches.TryGetValue(connection, out var statements))
        {
            return null;
        }

        var commands = statements.Commands;
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

    /// <summary>Whether reads on this connection may run without EF: a pool connection that allows it, outside a transaction.</summary>
    public static bool AllowsDirectReads(SqliteConnection connection, SqliteTransaction? transaction) =>
        transaction is null && Caches.TryGetValue(connection, out var statements) && statements.DirectReads;

    /// <summary>
    /// Starts recording the commands EF runs on a pool connection (text, parameters, result columns),
    /// until the capture is disposed; null for other connections.
    /// </summary>
    public static CommandCapture? Capture(SqliteConnection connection)
    {
        if (!Caches.TryGetValue(connection, out var statements))
        {
            return null;
        }

        var capture = new CommandCapture(() => statements.Capture = null);
        statements.Capture = capture;
        return capture;
    }

    /// <summary>The capture in progress on the connection, if any.</summary>
    public static CommandCapture? CaptureOf(SqliteConnection connection) =>
        Caches.TryGetValue(connection, out var statements) ? statements.Capture : null;

    public static void Forget(SqliteConnection connection)
    {
        if (Caches.TryGetValue(connection, out var statements))
        {
            Clear(statements.Commands);
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

    private sealed class Statements
    {
        public Dictionary<string, SqliteCommand> Commands { get; } = new(StringComparer.Ordinal);

        public CommandCapture? Capture { get; set; }

        public bool DirectReads { get; init; }
    }
}

/// <summary>What EF ran on a connection while a capture was open: each command's SQL, parameters and result column names.</summary>
internal sealed class CommandCapture(Action close) : IDisposable
{
    public List<CapturedCommand> Commands { get; } = [];

    public void Dispose() => close();
}

internal sealed record CapturedCommand(string Sql, IReadOnlyList<SqliteParameter> Parameters, IReadOnlyList<string> Columns);
