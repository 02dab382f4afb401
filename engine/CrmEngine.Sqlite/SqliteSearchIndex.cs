using System.Data.Common;
using System.Globalization;
using System.Text;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Sqlite;

/// <summary>
/// Search on SQLite: an FTS5 table with the trigram tokenizer (<c>crm_search</c>), so any substring
/// of three characters or more is found through the index, Chinese included, case-insensitively;
/// ranked by bm25. Words shorter than three characters (华为) can't use trigrams and are matched
/// with LIKE over the indexed text, a scan of the index. <c>crm_search_key</c> maps records to
/// FTS rowids so a record's entry is replaced without scanning. All SQL is fixed text with
/// parameters; table and column names come from validated metadata, never from input.
/// </summary>
public sealed class SqliteSearchIndex : SearchIndexBase
{
    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS crm_search_key (doc INTEGER PRIMARY KEY, entity TEXT NOT NULL, record_id TEXT NOT NULL, UNIQUE (entity, record_id));
        CREATE VIRTUAL TABLE IF NOT EXISTS crm_search USING fts5(content, tokenize = 'trigram');
        """;

    public override async Task IndexAsync(TenantDbContext context, string entity, Guid id, string? text, CancellationToken cancellationToken)
    {
        var recordId = StoredId(id);
        await ExecuteAsync(context, "DELETE FROM crm_search WHERE rowid = (SELECT doc FROM crm_search_key WHERE entity = $entity AND record_id = $id);",
            [("$entity", entity), ("$id", recordId)], cancellationToken);
        if (text is null)
        {
            await ExecuteAsync(context, "DELETE FROM crm_search_key WHERE entity = $entity AND record_id = $id;", [("$entity", entity), ("$id", recordId)], cancellationToken);
            return;
        }

        await ExecuteAsync(context, """
            INSERT INTO crm_search_key (entity, record_id) VALUES ($entity, $id) ON CONFLICT (entity, record_id) DO NOTHING;
            INSERT INTO crm_search (rowid, content) SELECT doc, $text FROM crm_search_key WHERE entity = $entity AND record_id = $id;
            """, [("$entity", entity), ("$id", recordId), ("$text", text)], cancellationToken);
    }

    public override async Task IndexNewAsync(TenantDbContext context, string entity, IReadOnlyList<(Guid Id, string Text)> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        // One prepared statement pair for the whole batch: the records are new, so there is nothing to replace.
        await using var entries = await PrepareNewAsync(context, entity, cancellationToken);
        foreach (var (id, text) in records)
        {
            await entries.AddAsync(id, text, cancellationToken);
        }
    }

    public override async Task<IPreparedSearchEntries> PrepareNewAsync(TenantDbContext context, string entity, CancellationToken cancellationToken)
    {
        try
        {
            return new NewEntries(context, await CommandAsync(context, """
                INSERT INTO crm_search_key (entity, record_id) VALUES ($entity, $id);
                INSERT INTO crm_search (rowid, content) VALUES (last_insert_rowid(), $text);
                """, [("$entity", entity), ("$id", string.Empty), ("$text", string.Empty)], cancellationToken));
        }
        catch
        {
            await context.Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>The key and text statements of new entries, prepared once; the connection is given back when disposed.</summary>
    private sealed class NewEntries(TenantDbContext context, DbCommand command) : IPreparedSearchEntries
    {
        public async Task AddAsync(Guid id, string text, CancellationToken cancellationToken)
        {
            command.Parameters["$id"].Value = StoredId(id);
            command.Parameters["$text"].Value = text;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await context.Database.CloseConnectionAsync();
        }
    }

    protected override async Task<IReadOnlyList<SearchHit>> SearchWordsAsync(TenantDbContext context, string text, IReadOnlyList<string> words, IReadOnlyCollection<string> entities, int first, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)>();
        var sql = new StringBuilder("SELECT k.entity, k.record_id, ");
        var indexed = words.Where(w => new StringInfo(w).LengthInTextElements >= 3).ToList();
        // bm25 is better when lower; without an indexed word, shorter texts rank first.
        sql.Append(indexed.Count > 0 ? "-bm25(crm_search)" : "1.0 / (1 + length(s.content))");
        sql.Append(" FROM crm_search s JOIN crm_search_key k ON k.doc = s.rowid WHERE ");
        var conditions = new List<string>();
        if (indexed.Count > 0)
        {
            conditions.Add("crm_search MATCH $match");
            parameters.Add(("$match", string.Join(' ', indexed.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
        }

        var shortWords = words.Except(indexed).ToList();
        for (var i = 0; i < shortWords.Count; i++)
        {
            conditions.Add($"s.content LIKE $like{i} ESCAPE '\\'");
            parameters.Add(($"$like{i}", "%" + EscapeLike(shortWords[i]) + "%"));
        }

        var entityParameters = entities.Select((e, i) => ($"$e{i}", (object?)e)).ToList();
        conditions.Add($"k.entity IN ({string.Join(", ", entityParameters.Select(p => p.Item1))})");
        parameters.AddRange(entityParameters);
        sql.AppendJoin(" AND ", conditions).Append(" ORDER BY 3 DESC, k.doc LIMIT $first;");
        parameters.Add(("$first", first));

        var hits = new List<SearchHit>();
        try
        {
            await using var command = await CommandAsync(context, sql.ToString(), parameters, cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new SearchHit(reader.GetString(0), Guid.Parse(reader.GetString(1)), reader.GetDouble(2)));
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }

        return hits;
    }

    protected override Task CreateAsync(TenantDbContext context, CancellationToken cancellationToken) => ExecuteAsync(context, CreateSql, [], cancellationToken);

    protected override async Task RemoveEntityAsync(TenantDbContext context, string entity, CancellationToken cancellationToken) =>
        await ExecuteAsync(context, """
            DELETE FROM crm_search WHERE rowid IN (SELECT doc FROM crm_search_key WHERE entity = $entity);
            DELETE FROM crm_search_key WHERE entity = $entity;
            """, [("$entity", entity)], cancellationToken);

    /// <summary>Indexes every live record of an entity with two set-based statements.</summary>
    protected override async Task RebuildAsync(TenantDbContext context, EntityDefinition entity, CancellationToken cancellationToken)
    {
        var table = Quote(entity.TableName);
        var content = string.Join(" || ' ' || ", SearchDocument.Columns(entity).Select(c => $"coalesce(t.{Quote(c)}, '')"));
        await ExecuteAsync(context, $"""
            INSERT INTO crm_search_key (entity, record_id) SELECT $entity, t."id" FROM {table} t WHERE t."deleted_at" IS NULL;
            INSERT INTO crm_search (rowid, content) SELECT k.doc, {content} FROM crm_search_key k JOIN {table} t ON t."id" = k.record_id WHERE k.entity = $entity;
            """, [("$entity", entity.Name)], cancellationToken);
    }

    protected override async Task<bool> ExistsAsync(TenantDbContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = await CommandAsync(context, "SELECT count(*) FROM sqlite_master WHERE name = 'crm_search';", [], cancellationToken);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(TenantDbContext context, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = await CommandAsync(context, sql, parameters, cancellationToken);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A command on the context's connection (opened for it; callers close it), in its current transaction if any.</summary>
    private static async Task<DbCommand> CommandAsync(TenantDbContext context, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await context.Database.OpenConnectionAsync(cancellationToken);
        var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        }

        return command;
    }

    /// <summary>EF Core stores a Guid on SQLite as upper-case text; the index keys records the same way so joins match.</summary>
    private static string StoredId(Guid id) => id.ToString("D").ToUpperInvariant();

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
