using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Records;
using Microsoft.Extensions.DependencyInjection;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Querying;

/// <summary>The engine's query API as hooks, rules and plugins use it, without GraphQL in between.</summary>
public sealed class RecordQueryTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private async Task<CrmSession> LeadsAsync(params (string Name, long Score)[] leads)
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        foreach (var (name, score) in leads)
        {
            var result = await _engine.Pipeline.CreateAsync(session, "lead", new Dictionary<string, object?> { ["name"] = name, ["score"] = score }, CancellationToken.None);
            Assert.True(result.Succeeded);
        }

        return session;
    }

    [Fact]
    public async Task Filters_nested_deeper_than_the_limit_are_refused()
    {
        var session = await LeadsAsync(("a", 1));
        Condition filter = new Condition.Comparison("score", ComparisonOperator.Gt, 0);
        for (var i = 0; i < PredicateBuilder.MaxDepth + 1; i++)
        {
            filter = new Condition.Negation(new Condition.Negation(filter));
        }

        var error = await Assert.ThrowsAsync<CrmException>(() => _engine.Reader.ListAsync(session, new RecordQuery("lead") { Filter = filter }, CancellationToken.None));
        Assert.Equal(ErrorCodes.FilterTooDeep, error.Code);
    }

    [Fact]
    public async Task Operators_that_do_not_fit_the_field_and_unknown_fields_are_refused()
    {
        var session = await LeadsAsync(("a", 1));
        var contains = await Assert.ThrowsAsync<CrmException>(() => _engine.Reader.ListAsync(session, new RecordQuery("lead") { Filter = new Condition.Comparison("score", ComparisonOperator.Contains, "1") }, CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidOperator, contains.Code);
        var unknown = await Assert.ThrowsAsync<CrmException>(() => _engine.Reader.ListAsync(session, new RecordQuery("lead") { Filter = new Condition.Comparison("nickname", ComparisonOperator.Eq, "x") }, CancellationToken.None));
        Assert.Equal(ErrorCodes.UnknownField, unknown.Code);
        var wrongType = await Assert.ThrowsAsync<CrmException>(() => _engine.Reader.ListAsync(session, new RecordQuery("lead") { Filter = new Condition.Comparison("score", ComparisonOperator.Gt, "many") }, CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidValue, wrongType.Code);
        var badSort = await Assert.ThrowsAsync<CrmException>(() => _engine.Reader.ListAsync(session, new RecordQuery("lead") { OrderBy = [new SortKey(["status", "name"])] }, CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidSort, badSort.Code);
    }

    [Fact]
    public async Task A_read_inside_an_open_write_filters_and_sorts_on_the_writes_own_context()
    {
        var hook = new ReadingHook();
        await using var engine = new EngineHarness(s => s.AddSingleton<IRecordHook>(hook));
        hook.Reader = engine.Reader;
        var session = await engine.DefineAsync(await engine.NewTenantAsync(), Lead());
        foreach (var (name, score) in new[] { ("a", 10L), ("b", 20L), ("c", 30L) })
        {
            Assert.True((await engine.Pipeline.CreateAsync(session, "lead", new Dictionary<string, object?> { ["name"] = name, ["score"] = score }, CancellationToken.None)).Succeeded);
        }

        // When "c" is created, the hook's read joins the open write: it runs, and sees the records committed before.
        Assert.Equal(["b", "a"], hook.Seen);
    }

    [Fact]
    public async Task A_record_read_by_id_equals_the_same_record_read_by_a_list_query()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead() with
        {
            Fields =
            [
                .. Lead().Fields, Field("seenAt", CrmEngine.Sdk.Metadata.FieldType.DateTime), Field("startsOn", CrmEngine.Sdk.Metadata.FieldType.Date),
                Field("active", CrmEngine.Sdk.Metadata.FieldType.Boolean), Field("ratio", CrmEngine.Sdk.Metadata.FieldType.Decimal),
            ],
        });
        var created = await _engine.Pipeline.CreateAsync(session, "lead", new Dictionary<string, object?>
        {
            ["name"] = "王芳", ["score"] = 42L, ["budget"] = new Dictionary<string, object?> { ["amount"] = 1234.5m }, ["email"] = "w@example.com",
            ["seenAt"] = "2026-03-01T08:30:00.123456Z", ["startsOn"] = "2026-04-02", ["active"] = true, ["ratio"] = 0.125m,
        }, CancellationToken.None);
        Assert.True(created.Succeeded);

        var byId = await _engine.Reader.GetAsync(session, "lead", created.Record!.Id, includeDeleted: false, CancellationToken.None);
        var listed = (await _engine.Reader.ListAsync(session, new RecordQuery("lead"), CancellationToken.None)).Edges.Single().Record;

        Assert.Equal(listed.Row.OrderBy(c => c.Key), byId!.Row.OrderBy(c => c.Key));
        Assert.Equal(1234.5m, ((CrmEngine.Sdk.Records.Money)byId.Get("budget")!).Amount);
        Assert.Equal(new DateTime(2026, 3, 1, 8, 30, 0, DateTimeKind.Utc).AddTicks(1234560), byId.Get("seenAt"));
    }

    private sealed class ReadingHook : IRecordHook
    {
        public RecordReader Reader { get; set; } = null!;

        public List<string> Seen { get; } = [];

        public string Source => "test";

        public bool AppliesTo(RecordChange change) => change.Operation == RecordOperation.Create && (string?)change.Get("name") == "c";

        public async Task BeforeAsync(RecordChange change, CancellationToken cancellationToken)
        {
            var page = await Reader.ListAsync(change.Session, new RecordQuery("lead") { Filter = new Condition.Comparison("score", ComparisonOperator.Gte, 10), OrderBy = [new SortKey("score", SortDirection.Desc)] }, cancellationToken);
            Seen.AddRange(page.Edges.Select(e => (string)e.Record.Get("name")!));
        }
    }
}
