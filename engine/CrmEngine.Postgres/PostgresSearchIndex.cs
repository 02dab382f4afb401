using System.Text;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CrmEngine.Postgres;

/// <summary>
/// Search on PostgreSQL: one table per tenant schema, <c>crm_search(entity, record_id, content,
/// words)</c>, with two GIN indexes. A record matches when its text contains every word of the
/// search as a substring, case-insensitively: <c>content ILIKE '%word%'</c>, which pg_trgm's
/// trigram index answers for words of three characters or more, Chinese included (华为技术 inside
/// 深圳华为技术有限公司), with no word segmenter. Shorter words (华为) have no trigram and are
/// checked against the rows the other words found, or by scanning the index when alone. Hits are
/// ranked by full-text rank over <c>words</c> (a <c>tsvector</c> with the language-neutral 'simple'
/// configuration, so whole words outrank fragments) plus pg_trgm's word similarity, shorter texts
/// first on ties. All SQL is fixed text with parameters; table and column names come from validated
/// metadata, never from input.
/// </summary>
public sealed class PostgresSearchIndex : SearchIndexBase
{
    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS crm_search (
            entity text NOT NULL,
            record_id uuid NOT NULL,
            content text NOT NULL,
            words tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
            PRIMARY KEY (entity, record_id));
        CREATE INDEX IF NOT EXISTS crm_search_trigrams ON crm_search USING gin (content gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS crm_search_words ON crm_search USING gin (words);
        """;

    public override Task IndexAsync(TenantDbContext context, string entity, Guid id, string? text, CancellationToken cancellationToken) =>
        text is null
            ? ExecuteAsync(context, "DELETE FROM crm_search WHERE entity = $1 AND record_id = $2", [entity, id], cancellationToken)
            : ExecuteAsync(context, "INSERT INTO crm_search (entity, record_id, content) VALUES ($1, $2, $3) ON CONFLICT (entity, record_id) DO UPDATE SET content = excluded.content",
                [entity, id, text], cancellationToken);

    public override async Task IndexNewAsync(TenantDbContext context, string entity, IReadOnlyList<(Guid Id, string Text)> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // The records are new, so there is nothing to replace: one binary COPY for the batch.
            var connection = (NpgsqlConnection)context.Database.GetDbConnection();
            await using var importer = await connection.BeginBinaryImportAsync("COPY crm_search (entity, record_id, content) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (id, text) in records)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(entity, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    public override async Task<IPreparedSearchEntries> PrepareNewAsync(TenantDbContext context, string entity, CancellationToken cancellationToken)
    {
        await context.Database.OpenConnectionAsync(cancellationToken);
        var command = new NpgsqlCommand("INSERT INTO crm_search (entity, record_id, content) VALUES ($1, $2, $3)", (NpgsqlConnection)context.Database.GetDbConnection());
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = entity });
        command.Parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
        try
        {
            await command.PrepareAsync(cancellationToken);
            return new NewEntries(context, command);
        }
        catch
        {
            await command.DisposeAsync();
            await context.Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>A prepared INSERT of new entries; the connection is given back when disposed.</summary>
    private sealed class NewEntries(TenantDbContext context, NpgsqlCommand command) : IPreparedSearchEntries
    {
        public async Task AddAsync(Guid id, string text, CancellationToken cancellationToken)
        {
            ((NpgsqlParameter<Guid>)command.Parameters[1]).TypedValue = id;
            ((NpgsqlParameter<string>)command.Parameters[2]).TypedValue = text;
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
        var parameters = new List<object?> { text, entities.ToArray(), first };
        var sql = new StringBuilder("""
            SELECT entity, record_id, ts_rank_cd(words, plainto_tsquery('simple', $1)) + word_similarity($1, content) AS score
            FROM crm_search
            WHERE entity = ANY($2)
            """);
        foreach (var word in words)
        {
            parameters.Add("%" + EscapeLike(word) + "%");
            sql.Append(" AND content ILIKE $").Append(parameters.Count);
        }

        sql.Append(" ORDER BY score DESC, length(content), record_id LIMIT $3");
        var hits = new List<SearchHit>();
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = PostgresSql.Command((NpgsqlConnection)context.Database.GetDbConnection(), sql.ToString(), parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new SearchHit(reader.GetString(0), reader.GetGuid(1), reader.GetDouble(2)));
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }

        return hits;
    }

    protected override Task CreateAsync(TenantDbContext context, CancellationToken cancellationToken) => ExecuteAsync(context, CreateSql, [], cancellationToken);

    protected override Task RemoveEntityAsync(TenantDbContext context, string entity, CancellationToken cancellationToken) =>
        ExecuteAsync(context, "DELETE FROM crm_search WHERE entity = $1", [entity], cancellationToken);

    /// <summary>Indexes every live record of an entity with one set-based statement.</summary>
    protected override Task RebuildAsync(TenantDbContext context, EntityDefinition entity, CancellationToken cancellationToken)
    {
        var content = string.Join(" || ' ' || ", SearchDocument.Columns(entity).Select(c => $"coalesce(t.{PostgresSql.Quote(c)}, '')"));
        return ExecuteAsync(context, $"""
            INSERT INTO crm_search (entity, record_id, content)
            SELECT $1, t."id", {content} FROM {PostgresSql.Quote(entity.TableName)} t WHERE t."deleted_at" IS NULL
            """, [entity.Name], cancellationToken);
    }

    protected override async Task<bool> ExistsAsync(TenantDbContext context, CancellationToken cancellationToken)
    {
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Resolved through the search_path: the tenant's own schema.
            return await PostgresSql.ScalarAsync((NpgsqlConnection)context.Database.GetDbConnection(), "SELECT to_regclass('crm_search') IS NOT NULL", [], cancellationToken) is true;
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(TenantDbContext context, string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await PostgresSql.ExecuteAsync((NpgsqlConnection)context.Database.GetDbConnection(), sql, parameters, cancellationToken);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
