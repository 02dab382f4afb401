using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Querying;

/// <summary>The indexes lists and sorts rely on exist in the tenant's SQLite file, and SQLite uses them.</summary>
public sealed class QueryIndexTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private static async Task<List<string>> IndexColumnsAsync(string connectionString, string index) =>
        await SqliteInspector.QueryAsync(connectionString, $"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno", r => r.GetString(0));

    [Fact]
    public async Task Lookups_indexed_fields_and_composite_indexes_become_database_indexes()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("account", Field("name", FieldType.Text)));
        session = await _engine.DefineAsync(session, Lead() with
        {
            Fields = [.. Lead().Fields, Lookup("account", "account"), Field("lastContactedAt", FieldType.DateTime) with { Indexed = true }],
            Indexes = [new IndexDefinition(["status", "lastContactedAt"])],
        });

        var indexes = await SqliteInspector.IndexesAsync(session.Store.ConnectionString, "lead");
        var columns = new List<List<string>>();
        foreach (var (name, _) in indexes)
        {
            columns.Add(await IndexColumnsAsync(session.Store.ConnectionString, name));
        }

        Assert.Contains(["account_id"], columns);
        Assert.Contains(["last_contacted_at"], columns);
        Assert.Contains(["status", "last_contacted_at", "id"], columns);

        var plan = await SqliteInspector.QueryAsync(session.Store.ConnectionString,
            "EXPLAIN QUERY PLAN SELECT * FROM lead WHERE status = 'new' AND deleted_at IS NULL ORDER BY last_contacted_at DESC, id DESC LIMIT 51", r => r.GetString(3));
        Assert.Contains(plan, step => step.Contains("USING INDEX", StringComparison.Ordinal) && step.Contains("status=?", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Indexes_can_be_replaced_later_and_bad_ones_are_refused()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        await _engine.Metadata.UpdateEntityAsync(session.Store, "lead", new EntityUpdate { Indexes = new List<IndexDefinition> { new(["status", "score"]) } }, null, CancellationToken.None);
        var indexes = await SqliteInspector.IndexesAsync(session.Store.ConnectionString, "lead");
        Assert.Contains(indexes, i => i.Name.Contains("status_score_id", StringComparison.Ordinal));

        var unknown = await Assert.ThrowsAsync<CrmException>(() => _engine.Metadata.UpdateEntityAsync(session.Store, "lead",
            new EntityUpdate { Indexes = new List<IndexDefinition> { new(["status", "nickname"]) } }, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.UnknownField, unknown.Code);
        var twice = await Assert.ThrowsAsync<CrmException>(() => _engine.Metadata.UpdateEntityAsync(session.Store, "lead",
            new EntityUpdate { Indexes = new List<IndexDefinition> { new(["score"]), new(["score"]) } }, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidDefinition, twice.Code);
        Assert.Contains(await SqliteInspector.IndexesAsync(session.Store.ConnectionString, "lead"), i => i.Name.Contains("status_score_id", StringComparison.Ordinal));
    }
}
