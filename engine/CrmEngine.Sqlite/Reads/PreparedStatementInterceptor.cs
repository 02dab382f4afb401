using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmEngine.Sqlite.Reads;

/// <summary>
/// Runs EF's queries on a read-pool connection through that connection's prepared command for the
/// same SQL (<see cref="SqliteStatementCache"/>), with EF's parameter values, and hands EF the
/// reader: EF still builds the SQL, binds the values and materializes the rows; SQLite skips
/// compiling a statement it has compiled before. Commands on other connections run as usual.
/// While a <see cref="CommandCapture"/> is open on the connection, each command is recorded too.
/// </summary>
internal sealed class PreparedStatementInterceptor : DbCommandInterceptor
{
    public static PreparedStatementInterceptor Instance { get; } = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        result.HasResult || Prepared(command) is not { } prepared ? result : InterceptionResult<DbDataReader>.SuppressWithResult(Captured(prepared, prepared.ExecuteReader()));

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        result.HasResult || Prepared(command) is not { } prepared ? result : InterceptionResult<DbDataReader>.SuppressWithResult(Captured(prepared, await prepared.ExecuteReaderAsync(cancellationToken)));

    private static SqliteCommand? Prepared(DbCommand command)
    {
        if (command is not SqliteCommand { Connection: { } connection } sqlite
            || SqliteStatementCache.Find(connection, sqlite.CommandText, sqlite.Transaction) is not { } prepared)
        {
            return null;
        }

        // EF's own parameter objects, as EF configured them (a copy through the public getters would
        // pin types and sizes that EF left to inference, and bind some values differently).
        foreach (SqliteParameter parameter in sqlite.Parameters)
        {
            prepared.Parameters.Add(parameter);
        }

        return prepared;
    }

    private static SqliteDataReader Captured(SqliteCommand command, SqliteDataReader reader)
    {
        if (SqliteStatementCache.CaptureOf(command.Connection!) is { } capture)
        {
            var columns = new string[reader.FieldCount];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = reader.GetName(i);
            }

            capture.Commands.Add(new CapturedCommand(command.CommandText, command.Parameters.Cast<SqliteParameter>().ToList(), columns));
        }

        return reader;
    }
}
