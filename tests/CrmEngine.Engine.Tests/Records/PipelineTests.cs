using CrmEngine.Sdk.Records;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using Microsoft.Extensions.DependencyInjection;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>The write pipeline on a real tenant database: validate, before, persist with audit and outbox.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private readonly TestHook _hook = new();
    private readonly EngineHarness _engine;
    private CrmSession _session = null!;

    public PipelineTests()
    {
        _engine = new EngineHarness(services => services.AddSingleton<IRecordHook>(_hook));
    }

    public async Task InitializeAsync()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("account", Field("name", FieldType.Text) with { Required = true }));
        _session = await _engine.DefineAsync(session, Lead() with { Fields = [.. Lead().Fields, Lookup("account", "account")] });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<WriteResult> CreateLeadAsync(Dictionary<string, object?> values) => _engine.Pipeline.CreateAsync(_session, "lead", values, CancellationToken.None);

    private Task<long> CountAsync(string table) => SqliteInspector.CountAsync(_session.Store.ConnectionString, table);

    [Fact]
    public async Task Creating_sets_system_columns_defaults_and_auto_numbers_and_writes_audit_and_outbox()
    {
        var result = await CreateLeadAsync(new() { ["name"] = "李雷", ["budget"] = new Money(5000m, "CNY") });

        Assert.True(result.Succeeded);
        var lead = result.Record!;
        Assert.Equal(1, lead.Version);
        Assert.Equal(_session.Principal.UserId, lead.OwnerId);
        Assert.Equal(_session.Principal.UserId, lead.CreatedBy);
        Assert.Equal("new", lead.Get("status"));
        Assert.Equal("L-0001", lead.Get("code"));
        Assert.Equal(7, Guid.Parse(lead.Id.ToString()).Version);
        Assert.Equal(1, await CountAsync("crm_audit"));
        Assert.Equal(1, await CountAsync("crm_outbox"));
    }

    [Fact]
    public async Task A_missing_required_field_is_refused_and_nothing_is_written()
    {
        var result = await CreateLeadAsync(new() { ["email"] = "a@b.cn" });
        Assert.Equal(ErrorCodes.Required, Assert.Single(result.Errors).Code);
        Assert.Equal(0, await CountAsync("lead"));
        Assert.Equal(0, await CountAsync("crm_audit"));
    }

    [Fact]
    public async Task Writing_a_system_column_or_an_auto_number_is_refused()
    {
        var result = await CreateLeadAsync(new() { ["name"] = "A", ["version"] = 9, ["code"] = "X" });
        Assert.Equal([ErrorCodes.ReadOnlyField, ErrorCodes.ReadOnlyField], result.Errors.Select(e => e.Code));
        Assert.Equal(0, await CountAsync("lead"));
    }

    [Fact]
    public async Task A_duplicate_unique_value_is_refused_naming_the_field()
    {
        Assert.True((await CreateLeadAsync(new() { ["name"] = "A", ["email"] = "dup@x.cn" })).Succeeded);
        var result = await CreateLeadAsync(new() { ["name"] = "B", ["email"] = "DUP@x.cn" });
        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCodes.UniqueViolation, "email"), (error.Code, error.Field));
        Assert.Equal(1, await CountAsync("lead"));
    }

    [Fact]
    public async Task A_deleted_record_frees_its_unique_value_and_restoring_it_takes_it_back_only_if_free()
    {
        var first = (await CreateLeadAsync(new() { ["name"] = "A", ["email"] = "x@x.cn" })).Record!;
        await _engine.Pipeline.DeleteAsync(_session, "lead", first.Id, null, CancellationToken.None);
        Assert.True((await CreateLeadAsync(new() { ["name"] = "B", ["email"] = "x@x.cn" })).Succeeded);

        var restore = await _engine.Pipeline.RestoreAsync(_session, "lead", first.Id, null, CancellationToken.None);
        Assert.Equal(ErrorCodes.UniqueViolation, Assert.Single(restore.Errors).Code);
    }

    [Fact]
    public async Task A_lookup_to_a_missing_or_deleted_record_is_refused()
    {
        var missing = await CreateLeadAsync(new() { ["name"] = "A", ["account"] = Guid.CreateVersion7() });
        Assert.Equal(ErrorCodes.LookupNotFound, Assert.Single(missing.Errors).Code);

        var account = (await _engine.Pipeline.CreateAsync(_session, "account", new Dictionary<string, object?> { ["name"] = "华为" }, CancellationToken.None)).Record!;
        Assert.True((await CreateLeadAsync(new() { ["name"] = "B", ["account"] = account.Id })).Succeeded);
        await _engine.Pipeline.DeleteAsync(_session, "account", account.Id, null, CancellationToken.None);
        var deleted = await CreateLeadAsync(new() { ["name"] = "C", ["account"] = account.Id });
        Assert.Equal(ErrorCodes.LookupNotFound, Assert.Single(deleted.Errors).Code);
    }

    [Fact]
    public async Task An_update_with_a_stale_version_is_refused_with_version_conflict()
    {
        var lead = (await CreateLeadAsync(new() { ["name"] = "A" })).Record!;
        Assert.True((await _engine.Pipeline.UpdateAsync(_session, "lead", lead.Id, 1, new Dictionary<string, object?> { ["score"] = 10 }, CancellationToken.None)).Succeeded);

        var stale = await _engine.Pipeline.UpdateAsync(_session, "lead", lead.Id, 1, new Dictionary<string, object?> { ["score"] = 20 }, CancellationToken.None);

        Assert.Equal(ErrorCodes.VersionConflict, Assert.Single(stale.Errors).Code);
        var stored = await _engine.Reader.GetAsync(_session, "lead", lead.Id, false, CancellationToken.None);
        Assert.Equal((2L, 10L), (stored!.Version, (long)stored.Get("score")!));
    }

    [Fact]
    public async Task Two_concurrent_updates_from_the_same_version_let_exactly_one_win()
    {
        var lead = (await CreateLeadAsync(new() { ["name"] = "A" })).Record!;
        var results = await Task.WhenAll(Enumerable.Range(1, 2).Select(i => Task.Run(() =>
            _engine.Pipeline.UpdateAsync(_session, "lead", lead.Id, 1, new Dictionary<string, object?> { ["score"] = i }, CancellationToken.None))));

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => r.Errors.Any(e => e.Code == ErrorCodes.VersionConflict));
    }

    [Fact]
    public async Task An_update_that_changes_nothing_keeps_the_version_and_writes_no_audit()
    {
        var lead = (await CreateLeadAsync(new() { ["name"] = "A", ["score"] = 5 })).Record!;
        var result = await _engine.Pipeline.UpdateAsync(_session, "lead", lead.Id, null, new Dictionary<string, object?> { ["score"] = 5 }, CancellationToken.None);
        Assert.Equal(1, result.Record!.Version);
        Assert.Equal(1, await CountAsync("crm_audit"));
    }

    [Fact]
    public async Task The_audit_trail_keeps_who_when_old_and_new()
    {
        var lead = (await CreateLeadAsync(new() { ["name"] = "A", ["score"] = 5 })).Record!;
        var editor = await _engine.SessionAsync(_session.TenantId);
        await _engine.Pipeline.UpdateAsync(editor, "lead", lead.Id, 1, new Dictionary<string, object?> { ["score"] = 9, ["name"] = "A" }, CancellationToken.None);

        var trail = await new AuditTrail(_engine.Reader).ForRecordAsync(_session, "lead", lead.Id, 10, CancellationToken.None);

        Assert.Equal(["update", "create"], trail.Select(t => t.Operation));
        var change = Assert.Single(trail[0].Changes);
        Assert.Equal(("score", 5, 9), (change.Field, change.Old!.Value.GetInt32(), change.New!.Value.GetInt32()));
        Assert.Equal(editor.Principal.UserId, trail[0].Actor);
    }

    [Fact]
    public async Task Delete_is_soft_and_restore_brings_the_record_back()
    {
        var lead = (await CreateLeadAsync(new() { ["name"] = "A" })).Record!;
        var deleted = await _engine.Pipeline.DeleteAsync(_session, "lead", lead.Id, 1, CancellationToken.None);
        Assert.NotNull(deleted.Record!.DeletedAt);
        Assert.Null(await _engine.Reader.GetAsync(_session, "lead", lead.Id, false, CancellationToken.None));
        Assert.Equal(1, await CountAsync("lead"));

        var again = await _engine.Pipeline.DeleteAsync(_session, "lead", lead.Id, null, CancellationToken.None);
        Assert.Equal(ErrorCodes.NotFound, Assert.Single(again.Errors).Code);

        var restored = await _engine.Pipeline.RestoreAsync(_session, "lead", lead.Id, null, CancellationToken.None);
        Assert.Equal(3, restored.Record!.Version);
        Assert.NotNull(await _engine.Reader.GetAsync(_session, "lead", lead.Id, false, CancellationToken.None));
    }

    [Fact]
    public async Task A_before_hook_can_change_the_record()
    {
        _hook.Before = change => change.Set("score", 99);
        var result = await CreateLeadAsync(new() { ["name"] = "A" });
        Assert.Equal(99L, result.Record!.Get("score"));
    }

    [Fact]
    public async Task A_before_hook_can_reject_with_a_field_error_and_nothing_is_written()
    {
        _hook.Before = change => change.Reject("Leads from this domain are blocked.", "email");
        var result = await CreateLeadAsync(new() { ["name"] = "A", ["email"] = "spam@spam.cn" });
        Assert.Equal((ErrorCodes.Rejected, "email"), (result.Errors[0].Code, result.Errors[0].Field));
        Assert.Equal(0, await CountAsync("lead"));
        Assert.Equal(0, await CountAsync("crm_outbox"));
    }

    [Fact]
    public async Task A_hook_that_throws_fails_only_its_write_with_plugin_error()
    {
        _hook.Before = _ => throw new InvalidOperationException("boom");
        var result = await CreateLeadAsync(new() { ["name"] = "A" });
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.PluginError, error.Code);
        Assert.Contains("test-hook", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("lead"));

        _hook.Before = null;
        Assert.True((await CreateLeadAsync(new() { ["name"] = "B" })).Succeeded);
    }

    [Fact]
    public async Task A_hook_can_fill_a_required_field()
    {
        _hook.Before = change => change.Set("name", "From hook");
        Assert.True((await CreateLeadAsync(new() { ["score"] = 1 })).Succeeded);
    }

    private sealed class TestHook : IRecordHook
    {
        public Action<RecordChange>? Before { get; set; }

        public string Source => "test-hook";

        public bool AppliesTo(RecordChange change) => change.Entity.Name == "lead";

        public Task BeforeAsync(RecordChange change, CancellationToken cancellationToken)
        {
            Before?.Invoke(change);
            return Task.CompletedTask;
        }
    }
}
