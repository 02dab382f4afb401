using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Querying;

/// <summary>The indexes lists and sorts rely on exist in the tenant's store, and the store uses them.</summary>
public sealed class QueryIndexTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Lookups_indexed_fields_and_composite_indexes_become_database_indexes()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("account", Field("name", FieldType.Text)));
        session = await _engine.DefineAsync(session, Lead() with
        {
            Fields = [.. Lead().Fields, Lookup("account", "account"), Field("lastContactedAt", FieldType.DateTime) with { Indexed = true }],
            Indexes = [new IndexDefinition(["status", "lastContactedAt"])],
        });

        var columns = (await StoreInspector.IndexesAsync(session.Store.ConnectionString, "lead")).Select(i => i.Columns).ToList();

        Assert.Contains(["account_id"], columns);
        Assert.Contains(["last_contacted_at"], columns);
        Assert.Contains(["status", "last_contacted_at", "id"], columns);

        // The order the engine asks for: empty values last when descending (NULLS LAST is SQLite's
        // own order; on PostgreSQL the engine says it, and builds its indexes NULLS FIRST to match).
        var page = "SELECT * FROM lead WHERE status = 'new' AND deleted_at IS NULL ORDER BY last_contacted_at DESC" + (TestStorage.IsPostgres ? " NULLS LAST, id DESC NULLS LAST" : ", id DESC") + " LIMIT 51";
        if (TestStorage.IsPostgres)
        {
            // An empty table would be scanned whatever indexes exist; with scans off, the plan shows
            // whether the composite index can serve the filter and the order without a sort.
            var plan = await StoreInspector.QueryAsync(session.Store.ConnectionString, "SET enable_seqscan = off; SET enable_bitmapscan = off; EXPLAIN " + page, r => r.GetString(0));
            Assert.Contains(plan, step => step.Contains("Index Scan Backward using", StringComparison.Ordinal) && step.Contains("status_last_contacted_at_id", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, step => step.Contains("Sort", StringComparison.Ordinal));
        }
        else
        {
            var plan = await StoreInspector.QueryAsync(session.Store.ConnectionString, "EXPLAIN QUERY PLAN " + page, r => r.GetString(3));
            Assert.Contains(plan, step => step.Contains("USING INDEX", StringComparison.Ordinal) && step.Contains("status=?", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Indexes_can_be_replaced_later_and_bad_ones_are_refused()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        await _engine.Metadata.UpdateEntityAsync(session.Store, "lead", new EntityUpdate { Indexes = new List<IndexDefinition> { new(["status", "score"]) } }, null, CancellationToken.None);
        var indexes = await StoreInspector.IndexesAsync(session.Store.ConnectionString, "lead");
        Assert.Contains(indexes, i => i.Name.Contains("status_score_id", StringComparison.Ordinal));

        var unknown = await Assert.ThrowsAsync<CrmException>(() => _engine.Metadata.UpdateEntityAsync(session.Store, "lead",
            new EntityUpdate { Indexes = new List<IndexDefinition> { new(["status", "nickname"]) } }, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.UnknownField, unknown.Code);
        var twice = await Assert.ThrowsAsync<CrmException>(() => _engine.Metadata.UpdateEntityAsync(session.Store, "lead",
            new EntityUpdate { Indexes = new List<IndexDefinition> { new(["score"]), new(["score"]) } }, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidDefinition, twice.Code);
        Assert.Contains(await StoreInspector.IndexesAsync(session.Store.ConnectionString, "lead"), i => i.Name.Contains("status_score_id", StringComparison.Ordinal));
    }
}
