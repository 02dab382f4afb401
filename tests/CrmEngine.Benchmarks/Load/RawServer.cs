using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// The baseline: a minimal Kestrel app doing each scenario's SQL by hand with ADO.NET and
/// System.Text.Json on the same database (the SQLite file, or the PostgreSQL tenant schema), with
/// no validation, GraphQL or EF. What the engine adds on top of this is its cost.
/// </summary>
public static class RawServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = Argument(args, "--port");
        RawSql sql = args.Contains("--pg") ? new PostgresRawSql(Argument(args, "--pg")) : new SqliteRawSql(Argument(args, "--db"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        app.MapGet("/health", () => "ok");
        app.MapGet("/raw/ping", (HttpContext http) => WriteAsync(http, new { data = new { __typename = "Query" } }));
        app.MapGet("/raw/page", async (HttpContext http, string status) =>
        {
            var rows = await sql.QueryAsync(sql.Page, ("@status", status));
            await WriteAsync(http, new { items = rows.Take(50), hasNextPage = rows.Count > 50 });
        });
        app.MapGet("/raw/get", async (HttpContext http, string id) =>
        {
            var rows = await sql.QueryAsync(sql.Get, ("@id", sql.Id(Guid.Parse(id))));
            await WriteAsync(http, new { lead = rows.FirstOrDefault() });
        });
        app.MapGet("/raw/aggregate", async (HttpContext http) =>
            await WriteAsync(http, new { groups = await sql.QueryAsync(sql.Aggregate) }));
        app.MapGet("/raw/search", async (HttpContext http, string text) =>
            await WriteAsync(http, new { hits = await sql.QueryAsync(sql.Search, sql.SearchParameters(text)) }));
        app.MapPost("/raw/create", async (HttpContext http) =>
        {
            var input = await JsonSerializer.DeserializeAsync<Dictionary<string, JsonElement>>(http.Request.Body);
            var id = Guid.CreateVersion7();
            var now = sql.Timestamp(DateTime.UtcNow);
            await sql.ExecuteAsync(sql.Create,
                ("@id", sql.Id(id)), ("@now", now), ("@name", Text(input!, "name")), ("@company", Text(input!, "company")), ("@email", Text(input!, "email")),
                ("@phone", Text(input!, "phone")), ("@status", Text(input!, "status")), ("@source", Text(input!, "source")), ("@industry", Text(input!, "industry")),
                ("@score", input!["score"].GetInt64()), ("@budget", sql.Decimal(input["budget"].GetProperty("amount").GetDecimal())),
                ("@last", sql.Timestamp(DateTime.Parse(Text(input, "lastContactedAt")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal))),
                ("@next", sql.Date(Text(input, "nextFollowUpOn"))), ("@qualified", sql.Boolean(input["qualified"].GetBoolean())),
                ("@tags", "|" + string.Join('|', input["tags"].EnumerateArray().Select(t => t.GetString())) + "|"), ("@city", Text(input, "city")), ("@notes", Text(input, "notes")));
            await WriteAsync(http, new { lead = new { id } });
        });
        await app.RunAsync();
        return 0;
    }

    private static string? Text(Dictionary<string, JsonElement> input, string name) =>
        input.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Argument(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"{name} is required.");

    private static Task WriteAsync(HttpContext http, object value)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, value);
    }
}

/// <summary>The baseline's statements and value formats for one store, run with plain ADO.NET.</summary>
internal abstract class RawSql
{
    protected const string Columns = "id, name, company, email, phone, status, source, score, budget, budget_currency, last_contacted_at";

    /// <summary>Empty dates last, as the engine orders them on every store.</summary>
    public string Page => $"SELECT {Columns} FROM lead WHERE status = @status AND deleted_at IS NULL ORDER BY last_contacted_at DESC{NullsLast}, id DESC{NullsLast} LIMIT 51";

    /// <summary>How the store is told to put NULLs last in a descending order (SQLite does it by itself).</summary>
    protected virtual string NullsLast => string.Empty;

    public string Get => $"SELECT {Columns} FROM lead WHERE id = @id AND deleted_at IS NULL";

    public string Aggregate => "SELECT status, count(*) AS count FROM lead WHERE deleted_at IS NULL GROUP BY status ORDER BY status";

    public string Create => """
        INSERT INTO lead (id, created_at, updated_at, version, name, company, email, phone, status, source, industry, score, budget, budget_currency, last_contacted_at, next_follow_up_on, qualified, tags, city, notes)
        VALUES (@id, @now, @now, 1, @name, @company, @email, @phone, @status, @source, @industry, @score, @budget, 'CNY', @last, @next, @qualified, @tags, @city, @notes)
        """;

    /// <summary>Top 20 by the store's own ranking, joined to the records, as the engine's search does.</summary>
    public abstract string Search { get; }

    public abstract (string Name, object? Value)[] SearchParameters(string text);

    public abstract object Id(Guid id);

    public abstract object Timestamp(DateTime utc);

    public abstract object? Date(string? isoDate);

    public abstract object Boolean(bool value);

    public abstract object Decimal(decimal value);

    protected abstract DbConnection NewConnection();

    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync();
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

    public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

/// <summary>SQLite as EF's mappings store it: ids as upper-case text, times as text, FTS5 with bm25.</summary>
internal sealed class SqliteRawSql(string database) : RawSql
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = database, Pooling = true, ForeignKeys = true, DefaultTimeout = 30 }.ToString();

    public override string Search => """
        WITH hits AS (SELECT k.record_id, -bm25(crm_search) AS score FROM crm_search s JOIN crm_search_key k ON k.doc = s.rowid
                      WHERE crm_search MATCH @match AND k.entity = 'lead' ORDER BY 2 DESC LIMIT 20)
        SELECT l.id, l.name, l.company, h.score FROM hits h JOIN lead l ON l.id = h.record_id WHERE l.deleted_at IS NULL ORDER BY h.score DESC
        """;

    public override (string Name, object? Value)[] SearchParameters(string text) => [("@match", "\"" + text + "\"")];

    public override object Id(Guid id) => id.ToString("D").ToUpperInvariant();

    public override object Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public override object? Date(string? isoDate) => isoDate;

    public override object Boolean(bool value) => value ? 1 : 0;

    public override object Decimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    protected override DbConnection NewConnection() => new SqliteConnection(_connectionString);
}

/// <summary>
/// PostgreSQL in the tenant's schema: native uuid, timestamptz, date, boolean and numeric; search
/// as the engine's index does it (ILIKE answered by pg_trgm, ranked by ts_rank_cd plus word_similarity).
/// </summary>
internal sealed class PostgresRawSql(string connectionString) : RawSql
{
    public override string Search => """
        WITH hits AS (SELECT record_id, ts_rank_cd(words, plainto_tsquery('simple', @text)) + word_similarity(@text, content) AS score FROM crm_search
                      WHERE entity = 'lead' AND content ILIKE @like ORDER BY score DESC, length(content) LIMIT 20)
        SELECT l.id, l.name, l.company, h.score FROM hits h JOIN lead l ON l.id = h.record_id WHERE l.deleted_at IS NULL ORDER BY h.score DESC
        """;

    public override (string Name, object? Value)[] SearchParameters(string text) => [("@text", text), ("@like", "%" + text + "%")];

    protected override string NullsLast => " NULLS LAST";

    public override object Id(Guid id) => id;

    public override object Timestamp(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc);

    public override object? Date(string? isoDate) => isoDate is null ? null : DateOnly.Parse(isoDate, CultureInfo.InvariantCulture);

    public override object Boolean(bool value) => value;

    public override object Decimal(decimal value) => value;

    protected override DbConnection NewConnection() => new NpgsqlConnection(connectionString);
}
