using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// The baseline: a minimal Kestrel app doing each scenario's SQL by hand with ADO.NET and
/// System.Text.Json on the same database file, with no validation, GraphQL or EF. What the engine
/// adds on top of this is its cost.
/// </summary>
public static class RawServer
{
    private const string Columns = "id, name, company, email, phone, status, source, score, budget, budget_currency, last_contacted_at";

    public static async Task<int> RunAsync(string[] args)
    {
        var database = Argument(args, "--db");
        var port = Argument(args, "--port");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Pooling = true, ForeignKeys = true, DefaultTimeout = 30 }.ToString();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        app.MapGet("/health", () => "ok");
        app.MapGet("/raw/ping", (HttpContext http) => WriteAsync(http, new { data = new { __typename = "Query" } }));
        app.MapGet("/raw/page", async (HttpContext http, string status) =>
        {
            var rows = await QueryAsync(connectionString, $"SELECT {Columns} FROM lead WHERE status = $status AND deleted_at IS NULL ORDER BY last_contacted_at DESC, id DESC LIMIT 51", ("$status", status));
            await WriteAsync(http, new { items = rows.Take(50), hasNextPage = rows.Count > 50 });
        });
        app.MapGet("/raw/get", async (HttpContext http, string id) =>
        {
            var rows = await QueryAsync(connectionString, $"SELECT {Columns} FROM lead WHERE id = $id AND deleted_at IS NULL", ("$id", Guid.Parse(id).ToString("D").ToUpperInvariant()));
            await WriteAsync(http, new { lead = rows.FirstOrDefault() });
        });
        app.MapGet("/raw/aggregate", async (HttpContext http) =>
            await WriteAsync(http, new { groups = await QueryAsync(connectionString, "SELECT status, count(*) AS count FROM lead WHERE deleted_at IS NULL GROUP BY status ORDER BY status") }));
        app.MapGet("/raw/search", async (HttpContext http, string text) =>
            await WriteAsync(http, new
            {
                hits = await QueryAsync(connectionString, """
                    WITH hits AS (SELECT k.record_id, -bm25(crm_search) AS score FROM crm_search s JOIN crm_search_key k ON k.doc = s.rowid
                                  WHERE crm_search MATCH $match AND k.entity = 'lead' ORDER BY 2 DESC LIMIT 20)
                    SELECT l.id, l.name, l.company, h.score FROM hits h JOIN lead l ON l.id = h.record_id WHERE l.deleted_at IS NULL ORDER BY h.score DESC
                    """, ("$match", "\"" + text + "\"")),
            }));
        app.MapPost("/raw/create", async (HttpContext http) =>
        {
            var input = await JsonSerializer.DeserializeAsync<Dictionary<string, JsonElement>>(http.Request.Body);
            var id = Guid.CreateVersion7().ToString("D").ToUpperInvariant();
            var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            await ExecuteAsync(connectionString, """
                INSERT INTO lead (id, created_at, updated_at, version, name, company, email, phone, status, source, industry, score, budget, budget_currency, last_contacted_at, next_follow_up_on, qualified, tags, city, notes)
                VALUES ($id, $now, $now, 1, $name, $company, $email, $phone, $status, $source, $industry, $score, $budget, 'CNY', $last, $next, $qualified, $tags, $city, $notes)
                """,
                ("$id", id), ("$now", now), ("$name", Text(input!, "name")), ("$company", Text(input!, "company")), ("$email", Text(input!, "email")),
                ("$phone", Text(input!, "phone")), ("$status", Text(input!, "status")), ("$source", Text(input!, "source")), ("$industry", Text(input!, "industry")),
                ("$score", input!["score"].GetInt64()), ("$budget", input["budget"].GetProperty("amount").GetDecimal().ToString(CultureInfo.InvariantCulture)),
                ("$last", DateTime.Parse(Text(input, "lastContactedAt")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
                ("$next", Text(input, "nextFollowUpOn")), ("$qualified", input["qualified"].GetBoolean() ? 1 : 0),
                ("$tags", "|" + string.Join('|', input["tags"].EnumerateArray().Select(t => t.GetString())) + "|"), ("$city", Text(input, "city")), ("$notes", Text(input, "notes")));
            await WriteAsync(http, new { lead = new { id } });
        });
        await app.RunAsync();
        return 0;
    }

    private static string? Text(Dictionary<string, JsonElement> input, string name) =>
        input.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Argument(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"{name} is required.");

    private static async Task<List<Dictionary<string, object?>>> QueryAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = Command(connection, sql, parameters);
        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<SqliteConnection> OpenAsync(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static Task WriteAsync(HttpContext http, object value)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, value);
    }
}
