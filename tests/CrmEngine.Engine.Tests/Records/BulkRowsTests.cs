using System.Globalization;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Engine.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>
/// A bulk write's items are the pipeline's ordinary writes whose new rows go through the chunk's
/// prepared statements (the store's bulk writer) instead of EF: the rows they leave must be the ones
/// a single create leaves, column for column, on either store.
/// </summary>
public sealed class BulkRowsTests : IAsyncLifetime
{
    private static readonly Dictionary<string, object?> Chen = new()
    {
        ["name"] = "陈静",
        ["email"] = "Chen.Jing@XingChen.cn",
        ["score"] = 42,
        ["budget"] = 12345.67m,
        ["status"] = "qualified",
    };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero));
    private readonly CommandLog _commands = new();
    private readonly EngineHarness _engine;

    public BulkRowsTests() => _engine = new EngineHarness(s => s.AddSingleton<TimeProvider>(_clock).AddSingleton<IInterceptor>(_commands));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private RecordBatch Batch => _engine.Services.GetRequiredService<RecordBatch>();

    [Fact]
    public async Task A_bulk_item_leaves_the_same_record_audit_outbox_and_search_rows_as_a_single_create()
    {
        var user = Guid.NewGuid();
        var single = await TenantAsync(user);
        var bulk = await TenantAsync(user);

        var created = await _engine.Pipeline.CreateAsync(single, "lead", Chen, CancellationToken.None);
        var results = await Batch.WriteAsync(bulk, "lead", BulkOperation.Create, [new BulkItem(Chen)], null, atomic: false, CancellationToken.None);

        Assert.True(created.Succeeded);
        Assert.True(results[0].Result.Succeeded);
        var expected = await RowsAsync(single, created.Record!.Id);
        var actual = await RowsAsync(bulk, results[0].Result.Record!.Id);
        Assert.Equal(expected, actual);
        // What the comparison covers: the record's columns (normalized e-mail, the money, the picklist, the number), one audit and one outbox row, one search entry.
        Assert.Contains("lead.email=chen.jing@xingchen.cn", actual);
        Assert.Contains("lead.code=L-0001", actual);
        Assert.Single(actual, r => r.StartsWith("audit.changes=", StringComparison.Ordinal));
        Assert.Single(actual, r => r.StartsWith("outbox.changes=", StringComparison.Ordinal));
        Assert.Contains("search=<id>", actual);
    }

    [Fact]
    public async Task An_item_the_store_refuses_leaves_no_row_of_any_kind_and_the_items_around_it_are_written()
    {
        var bulk = await TenantAsync(Guid.NewGuid());
        // A unique index the engine's checks don't know of: only the store can refuse the second 陈静.
        await using (var context = bulk.CreateContext())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE UNIQUE INDEX ux_lead_name ON \"lead\" (\"name\")");
        }

        var items = new[] { "陈静", "陈静", "王芳" }.Select((name, i) => new BulkItem(new Dictionary<string, object?> { ["name"] = name, ["email"] = $"lead{i}@example.cn" })).ToList();

        var results = await Batch.WriteAsync(bulk, "lead", BulkOperation.Create, items, null, atomic: false, CancellationToken.None);

        Assert.Equal([true, false, true], results.Select(r => r.Result.Succeeded).ToList());
        Assert.Equal(ErrorCodes.UniqueViolation, results[1].Result.Errors[0].Code);
        await using var read = bulk.CreateContext();
        Assert.Equal(2, await read.Records("lead").CountAsync());
        Assert.Equal(2, await read.Set<AuditRow>().CountAsync(a => a.Entity == "lead"));
        Assert.Equal(2, await read.Set<OutboxRow>().CountAsync(o => o.Entity == "lead"));
        var search = _engine.Services.GetRequiredService<ISearchIndex>();
        Assert.Single(await search.SearchAsync(read, "陈静", ["lead"], 10, CancellationToken.None));
        // The refused item used no number: numbers are taken in the item's savepoint, rolled back with it.
        Assert.Equal(["L-0001", "L-0002"], (await _engine.Reader.ListAsync(bulk, new Engine.Records.Querying.RecordQuery("lead"), CancellationToken.None)).Edges.Select(e => e.Record.Get("code")).OrderBy(c => c).ToList());
    }

    [Fact]
    public async Task A_chunk_writes_its_items_rows_with_its_own_statements_not_an_EF_insert_per_item()
    {
        var bulk = await TenantAsync(Guid.NewGuid());
        var items = Enumerable.Range(0, 3).Select(i => new BulkItem(new Dictionary<string, object?> { ["name"] = $"线索 {i}", ["email"] = $"lead{i}@example.cn" })).ToList();
        _commands.Clear();

        var results = await Batch.WriteAsync(bulk, "lead", BulkOperation.Create, items, null, atomic: false, CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Result.Succeeded));
        await using var read = bulk.CreateContext();
        var tables = new[] { "lead", TableOf<AuditRow>(read), TableOf<OutboxRow>(read) };
        Assert.DoesNotContain(_commands.Texts, t => tables.Any(table => t.Contains($"INSERT INTO \"{table}\"", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(3, await read.Set<AuditRow>().CountAsync(a => a.Entity == "lead"));
    }

    private async Task<CrmSession> TenantAsync(Guid user)
    {
        var admin = await _engine.NewTenantAsync();
        var searchable = Lead() with { Fields = [.. Lead().Fields.Select(f => f.Name == "name" ? f with { Searchable = true } : f)] };
        await _engine.DefineAsync(admin, searchable);
        return await _engine.SessionAsync(admin.TenantId, user);
    }

    /// <summary>
    /// The record's row, its audit and outbox rows and its search entry, as "table.column=value"
    /// lines: the record's id written as &lt;id&gt; wherever it appears, the columns the store or a
    /// fresh id fills (the audit row's id, the outbox's sequence and transaction) left out.
    /// </summary>
    private async Task<List<string>> RowsAsync(CrmSession session, Guid id)
    {
        await using var context = session.CreateContext();
        var lines = new List<string>();
        var table = context.Model.FindEntityType("lead")!.GetTableName()!;
        lines.AddRange(await ReadAsync(context, "lead", $"SELECT * FROM \"{table}\"", []));
        lines.AddRange(await ReadAsync(context, "audit", $"SELECT * FROM \"{TableOf<AuditRow>(context)}\" WHERE entity = 'lead'", Generated<AuditRow>(context).Append("id")));
        lines.AddRange(await ReadAsync(context, "outbox", $"SELECT * FROM \"{TableOf<OutboxRow>(context)}\" WHERE entity = 'lead'", Generated<OutboxRow>(context)));
        var hits = await _engine.Services.GetRequiredService<ISearchIndex>().SearchAsync(context, "陈静", ["lead"], 10, CancellationToken.None);
        lines.AddRange(hits.Select(h => "search=" + h.Id));
        var stored = id.ToString();
        return lines.Select(l => l.Replace(stored, "<id>", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
    }

    private static string TableOf<T>(DbContext context) => context.Model.FindEntityType(typeof(T))!.GetTableName()!;

    private static IEnumerable<string> Generated<T>(DbContext context)
    {
        var type = context.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!);
        return type.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.OnAdd).Select(p => p.GetColumnName(table)!);
    }

    private static async Task<List<string>> ReadAsync(DbContext context, string name, string sql, IEnumerable<string> skipped)
    {
        var skip = skipped.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var lines = new List<string>();
        var connection = context.Database.GetDbConnection();
        await context.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!skip.Contains(reader.GetName(i)))
                {
                    lines.Add($"{name}.{reader.GetName(i)}={Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}");
                }
            }
        }

        return lines;
    }
}
