using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// A sweep's question (<see cref="DueWorkProbe"/>) asked of many tenant schemas at once, on the
/// server's own pool. Each tenant's search_path gives it a pool of its own, which keeps idle
/// connections for minutes: a sweep through those pools held one connection per tenant, and a few
/// hundred tenants ran a stock server out of connections.
/// </summary>
internal static class PostgresDueWork
{
    /// <summary>Schemas per statement: one EXISTS each, every one an index probe.</summary>
    private const int Chunk = 200;

    public static async Task<IReadOnlyCollection<string>> SchemasWithRowsAsync(PostgresServers servers, string server, IReadOnlyList<string> schemas, DueWorkProbe probe, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await servers.OpenAsync(server, cancellationToken);
        }
        catch (CrmException)
        {
            // The callers' own attempt reports the server as it always has.
            return schemas;
        }

        await using (connection)
        {
            var withTable = await SchemasWithTablesAsync(connection, schemas, probe.Tables, cancellationToken);
            var found = schemas.Where(s => !withTable.Contains(s)).ToList();
            foreach (var chunk in withTable.Chunk(Chunk))
            {
                found.AddRange((IEnumerable<string>?)await AskAsync(connection, chunk, probe, cancellationToken) ?? chunk);
            }

            return found;
        }
    }

    private static async Task<HashSet<string>> SchemasWithTablesAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ANY($1) AND n.nspname = ANY($2) GROUP BY n.nspname HAVING count(DISTINCT c.relname) = $3", connection);
        var distinct = tables.Distinct().ToArray();
        command.Parameters.Add(new NpgsqlParameter { Value = distinct });
        command.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)distinct.Length });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>The schemas of <paramref name="chunk"/> with a matching row; null when the statement fails (a column not there yet).</summary>
    private static async Task<List<string>?> AskAsync(NpgsqlConnection connection, string[] chunk, DueWorkProbe probe, CancellationToken cancellationToken)
    {
        // The schema goes back as its position in the chunk: no name is ever spliced in as a literal.
        var sql = string.Join(" UNION ALL ", chunk.Select((schema, i) =>
            $"SELECT {i} WHERE {probe.Render(table => PostgresSql.Quote(schema) + "." + PostgresSql.Quote(table))}"));
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in probe.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        try
        {
            var found = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(chunk[reader.GetInt32(0)]);
            }

            return found;
        }
        catch (PostgresException)
        {
            return null;
        }
    }
}
