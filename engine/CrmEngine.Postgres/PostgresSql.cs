using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>Small helpers for the provider-specific statements (schemas, locks, search, NOTIFY): positional parameters, quoted identifiers.</summary>
internal static class PostgresSql
{
    /// <summary>A double-quoted identifier. Only ever applied to names the engine made or validated.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, IReadOnlyList<object?> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
