using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>Writes made by hooks join the write that caused them: one transaction, a depth limit.</summary>
public sealed class NestedWriteTests : IAsyncLifetime
{
    private readonly DelegateHook _hook = new();
    private readonly EngineHarness _engine;
    private CrmSession _session = null!;

    public NestedWriteTests()
    {
        _engine = new EngineHarness(services => services.AddSingleton<IRecordHook>(_hook));
    }

    public async Task InitializeAsync()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("task", Field("title", FieldType.Text) with { Required = true }));
        _session = await _engine.DefineAsync(session, Entity("lead", Field("name", FieldType.Text) with { Required = true }));
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<WriteResult> CreateAsync(string entity, string field, string value) =>
        _engine.Pipeline.CreateAsync(_session, entity, new Dictionary<string, object?> { [field] = value }, CancellationToken.None);

    private Task<long> CountAsync(string table) => StoreInspector.CountAsync(_session.Store.ConnectionString, table);

    [Fact]
    public async Task A_write_made_by_a_hook_commits_with_the_write_that_caused_it()
    {
        _hook.Before = async change =>
        {
            if (change.Entity.Name == "lead")
            {
                var task = await _engine.Pipeline.CreateAsync(change.Session, "task", new Dictionary<string, object?> { ["title"] = "Call " + change.Get("name") }, CancellationToken.None);
                Assert.True(task.Succeeded);
            }
        };

        Assert.True((await CreateAsync("lead", "name", "王芳")).Succeeded);
        Assert.Equal(1, await CountAsync("task"));
        Assert.Equal(2, await CountAsync("crm_outbox"));
        var depths = await StoreInspector.QueryAsync(_session.Store.ConnectionString, "SELECT entity, depth FROM crm_outbox ORDER BY entity", r => (r.GetString(0), r.GetInt64(1)));
        Assert.Equal([("lead", 1L), ("task", 2L)], depths);
    }

    [Fact]
    public async Task When_the_outer_write_is_refused_the_hooks_writes_are_undone_too()
    {
        _hook.Before = async change =>
        {
            if (change.Entity.Name == "lead")
            {
                await _engine.Pipeline.CreateAsync(change.Session, "task", new Dictionary<string, object?> { ["title"] = "Follow up" }, CancellationToken.None);
                change.Reject("No leads today.");
            }
        };

        Assert.False((await CreateAsync("lead", "name", "A")).Succeeded);
        Assert.Equal(0, await CountAsync("task"));
        Assert.Equal(0, await CountAsync("lead"));
    }

    [Fact]
    public async Task A_refused_nested_write_leaves_the_outer_write_able_to_commit()
    {
        _hook.Before = async change =>
        {
            if (change.Entity.Name == "lead")
            {
                var refused = await _engine.Pipeline.CreateAsync(change.Session, "task", new Dictionary<string, object?> { ["title"] = null }, CancellationToken.None);
                Assert.Equal(ErrorCodes.Required, refused.Errors[0].Code);
            }
        };

        Assert.True((await CreateAsync("lead", "name", "A")).Succeeded);
        Assert.Equal(0, await CountAsync("task"));
        Assert.Equal(1, await CountAsync("lead"));
    }

    [Fact]
    public async Task A_hook_that_keeps_writing_is_stopped_at_the_cascade_limit_and_nothing_is_written()
    {
        _hook.Before = async change =>
        {
            var nested = await _engine.Pipeline.CreateAsync(change.Session, "task", new Dictionary<string, object?> { ["title"] = "again" }, CancellationToken.None);
            if (!nested.Succeeded)
            {
                foreach (var error in nested.Errors)
                {
                    change.Reject(error.Message, code: error.Code);
                }
            }
        };

        var result = await CreateAsync("task", "title", "first");

        Assert.Equal(ErrorCodes.CascadeLimit, result.Errors[0].Code);
        Assert.Equal(0, await CountAsync("task"));
    }

    [Fact]
    public async Task A_hook_can_not_write_the_record_that_is_being_written()
    {
        var lead = (await CreateAsync("lead", "name", "A")).Record!;
        WriteResult? nested = null;
        _hook.Before = async change =>
        {
            if (change.Operation == RecordOperation.Update)
            {
                nested = await _engine.Pipeline.UpdateAsync(change.Session, "lead", change.RecordId, null, new Dictionary<string, object?> { ["name"] = "B" }, CancellationToken.None);
            }
        };

        Assert.True((await _engine.Pipeline.UpdateAsync(_session, "lead", lead.Id, null, new Dictionary<string, object?> { ["name"] = "C" }, CancellationToken.None)).Succeeded);
        Assert.Equal(ErrorCodes.InvalidInput, nested!.Errors[0].Code);
    }

    [Fact]
    public async Task Reads_inside_a_write_see_that_writes_uncommitted_changes()
    {
        var seen = -1;
        _hook.Before = async change =>
        {
            if (change.Entity.Name == "lead")
            {
                await _engine.Pipeline.CreateAsync(change.Session, "task", new Dictionary<string, object?> { ["title"] = "t" }, CancellationToken.None);
                seen = (await _engine.Reader.ListAsync(change.Session, new Engine.Records.Querying.RecordQuery("task") { IncludeTotalCount = true }, CancellationToken.None)).TotalCount!.Value;
            }
        };

        await CreateAsync("lead", "name", "A");
        Assert.Equal(1, seen);
    }

    private sealed class DelegateHook : IRecordHook
    {
        public Func<RecordChange, Task>? Before { get; set; }

        public string Source => "test";

        public bool AppliesTo(RecordChange change) => true;

        public Task BeforeAsync(RecordChange change, CancellationToken cancellationToken) => Before?.Invoke(change) ?? Task.CompletedTask;
    }
}
