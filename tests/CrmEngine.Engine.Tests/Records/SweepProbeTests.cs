using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>
/// The background sweeps ask the stores which tenants have work before opening any
/// (<see cref="DueWorkProbe"/>): a tenant with nothing to do is neither loaded nor given a connection of its own.
/// </summary>
public sealed class SweepProbeTests : IAsyncLifetime
{
    private readonly FailingHandler _handler = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly EngineHarness _engine;

    public SweepProbeTests() =>
        _engine = new EngineHarness(services => services.AddSingleton<IRecordChangeHandler>(_handler).AddSingleton<TimeProvider>(_time));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task The_outbox_sweep_finds_only_the_tenants_with_changes_to_hand_over()
    {
        var busy = await NewTenantWithNotesAsync();
        var handled = await NewTenantWithNotesAsync();
        await _engine.Outbox.DrainAsync(handled.TenantId, CancellationToken.None);
        var idle = await NewTenantWithNotesAsync();
        await _engine.Outbox.DrainAsync(idle.TenantId, CancellationToken.None);

        Assert.Equal([busy.TenantId], await DueAsync(_engine));

        await _engine.Outbox.DrainAsync(busy.TenantId, CancellationToken.None);
        Assert.Empty(await DueAsync(_engine));
    }

    [Fact]
    public async Task A_change_waiting_for_its_retry_is_due_only_once_its_time_comes()
    {
        var session = await NewTenantWithNotesAsync();
        _handler.Failing = true;
        await _engine.Outbox.DrainAsync(session.TenantId, CancellationToken.None);

        Assert.Empty(await DueAsync(_engine));

        _time.Advance(OutboxDispatcher.Backoff(1) - TimeSpan.FromSeconds(1));
        Assert.Empty(await DueAsync(_engine));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([session.TenantId], await DueAsync(_engine));
    }

    [Fact]
    public async Task Asking_opens_no_tenant()
    {
        var busy = await NewTenantWithNotesAsync();
        await using var otherHost = new EngineHarness(services => services.AddSingleton<TimeProvider>(_time), _engine.Store);

        Assert.Equal([busy.TenantId], await DueAsync(otherHost));
        Assert.Empty(otherHost.Tenants.OpenTenants);
    }

    [Fact]
    public async Task A_store_that_cannot_answer_is_looked_at_the_usual_way()
    {
        var session = await NewTenantWithNotesAsync();
        await _engine.Outbox.DrainAsync(session.TenantId, CancellationToken.None);

        var noSuchTable = DueWorkProbe.Rows("crm_not_made_yet", "1 = 1", _time.GetUtcNow().UtcDateTime);
        var noSuchColumn = DueWorkProbe.Rows("crm_outbox", "not_a_column IS NULL", _time.GetUtcNow().UtcDateTime);
        var nothing = DueWorkProbe.Rows("crm_outbox", "1 = 0", _time.GetUtcNow().UtcDateTime);

        Assert.Equal([session.TenantId], await _engine.Catalog.TenantsWithDueWorkAsync(noSuchTable, CancellationToken.None));
        Assert.Equal([session.TenantId], await _engine.Catalog.TenantsWithDueWorkAsync(noSuchColumn, CancellationToken.None));
        Assert.Empty(await _engine.Catalog.TenantsWithDueWorkAsync(nothing, CancellationToken.None));
    }

    private static async Task<IReadOnlyList<string>> DueAsync(EngineHarness engine) =>
        await engine.Catalog.TenantsWithDueWorkAsync(engine.Outbox.DueProbe(), CancellationToken.None);

    private async Task<CrmSession> NewTenantWithNotesAsync()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("note", Field("text", FieldType.Text)));
        await _engine.Pipeline.CreateAsync(session, "note", new Dictionary<string, object?> { ["text"] = "a" }, CancellationToken.None);
        return session;
    }

    private sealed class FailingHandler : IRecordChangeHandler
    {
        public string Name => "failing";

        public bool Failing { get; set; }

        public Task HandleAsync(RecordEvent change, CancellationToken cancellationToken) =>
            Failing ? throw new InvalidOperationException("handler down") : Task.CompletedTask;
    }
}
