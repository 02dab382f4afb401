using System.Collections.Concurrent;
using System.Diagnostics;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>The after stage: committed changes reach handlers in order, failures are retried, nothing is lost.</summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private readonly RecordingHandler _handler = new();
    private readonly RecordingHandler _second = new() { Name = "second" };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly EngineHarness _engine;
    private CrmSession _session = null!;

    public OutboxTests()
    {
        _engine = new EngineHarness(services => services.AddSingleton<IRecordChangeHandler>(_handler).AddSingleton<IRecordChangeHandler>(_second).AddSingleton<TimeProvider>(_time));
    }

    public async Task InitializeAsync() =>
        _session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("note", Field("text", FieldType.Text)));

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Committed_changes_reach_after_handlers_in_commit_order()
    {
        var note = (await _engine.Pipeline.CreateAsync(_session, "note", new Dictionary<string, object?> { ["text"] = "a" }, CancellationToken.None)).Record!;
        await _engine.Pipeline.UpdateAsync(_session, "note", note.Id, null, new Dictionary<string, object?> { ["text"] = "b" }, CancellationToken.None);
        await _engine.Pipeline.DeleteAsync(_session, "note", note.Id, null, CancellationToken.None);

        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);

        Assert.Equal([(RecordOperation.Create, 1L), (RecordOperation.Update, 2L), (RecordOperation.Delete, 3L)], _handler.Seen.Select(e => (e.Operation, e.Version)));
        Assert.Equal([0L], await StoreInspector.QueryAsync(_session.Store.ConnectionString, "SELECT count(*) FROM crm_outbox WHERE processed_at IS NULL", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task Refused_writes_never_reach_the_after_stage()
    {
        await _engine.Pipeline.CreateAsync(_session, "note", new Dictionary<string, object?> { ["nope"] = "a" }, CancellationToken.None);
        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);
        Assert.Empty(_handler.Seen);
    }

    [Fact]
    public async Task A_failing_handler_is_retried_later_and_holds_back_later_changes_of_the_same_record()
    {
        var note = (await _engine.Pipeline.CreateAsync(_session, "note", new Dictionary<string, object?> { ["text"] = "a" }, CancellationToken.None)).Record!;
        await _engine.Pipeline.UpdateAsync(_session, "note", note.Id, null, new Dictionary<string, object?> { ["text"] = "b" }, CancellationToken.None);
        var other = (await _engine.Pipeline.CreateAsync(_session, "note", new Dictionary<string, object?> { ["text"] = "c" }, CancellationToken.None)).Record!;
        _handler.FailFor = note.Id;

        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);

        Assert.Equal([other.Id], _handler.Seen.Select(e => e.RecordId));
        var pending = await StoreInspector.QueryAsync(_session.Store.ConnectionString,
            "SELECT version, attempts, last_error FROM crm_outbox WHERE processed_at IS NULL ORDER BY seq", r => (r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2)));
        Assert.Equal([(1L, 1L, "handler down"), (2L, 0L, null)], pending);

        _handler.FailFor = null;
        _time.Advance(OutboxDispatcher.Backoff(1));
        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);
        Assert.Equal([other.Id, note.Id, note.Id], _handler.Seen.Select(e => e.RecordId));
        Assert.Equal([1L, 2L], _handler.Seen.Where(e => e.RecordId == note.Id).Select(e => e.Version));
    }

    [Fact]
    public async Task A_retried_change_reaches_only_the_handlers_that_have_not_handled_it()
    {
        var note = (await _engine.Pipeline.CreateAsync(_session, "note", new Dictionary<string, object?> { ["text"] = "a" }, CancellationToken.None)).Record!;
        _second.FailFor = note.Id;
        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);
        Assert.Equal([1L], _handler.Seen.Select(e => e.Version));

        // Not due before its back-off has passed; then only the handler that failed gets it.
        _second.FailFor = null;
        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);
        Assert.Empty(_second.Seen);
        _time.Advance(OutboxDispatcher.Backoff(1));
        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);

        Assert.Equal([1L], _handler.Seen.Select(e => e.Version));
        Assert.Equal([1L], _second.Seen.Select(e => e.Version));
        Assert.Equal([0L], await StoreInspector.QueryAsync(_session.Store.ConnectionString, "SELECT count(*) FROM crm_outbox WHERE processed_at IS NULL", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task A_backlog_is_marked_done_a_batch_at_a_time_not_change_by_change()
    {
        for (var i = 0; i < 250; i++)
        {
            Assert.True((await _engine.Pipeline.CreateAsync(_session, "note", new Dictionary<string, object?> { ["text"] = "n" + i }, CancellationToken.None)).Succeeded);
        }

        var probe = StorageProbe.Start();
        var clock = Stopwatch.StartNew();
        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);
        clock.Stop();

        Assert.Equal(250, _handler.Seen.Count);
        Assert.Equal([0L], await StoreInspector.QueryAsync(_session.Store.ConnectionString, "SELECT count(*) FROM crm_outbox WHERE processed_at IS NULL", r => r.GetInt64(0)));
        // Three batches of at most 100, plus a mark each time the interval ran out on a slow machine.
        Assert.InRange(probe.OutboxMarks, 3, 3 + (int)(clock.Elapsed / OutboxDispatcher.MarkInterval));
    }

    [Fact]
    public async Task Changes_handled_before_the_dispatcher_stops_are_not_handled_again()
    {
        for (var i = 0; i < 20; i++)
        {
            await _engine.Pipeline.CreateAsync(_session, "note", new Dictionary<string, object?> { ["text"] = "n" + i }, CancellationToken.None);
        }

        using var stop = new CancellationTokenSource();
        _handler.StopAfter = (5, stop);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _engine.Outbox.DrainAsync(_session.TenantId, stop.Token));
        Assert.Equal(5, _handler.Seen.Count);

        _handler.StopAfter = null;
        await _engine.Outbox.DrainAsync(_session.TenantId, CancellationToken.None);
        Assert.Equal(20, _handler.Seen.Count);
        Assert.Equal(20, _handler.Seen.Select(e => e.Sequence).Distinct().Count());
    }

    [Fact]
    public void Back_off_doubles_and_is_capped()
    {
        Assert.Equal([1d, 2d, 4d, 600d], new[] { 1, 2, 3, 20 }.Select(a => OutboxDispatcher.Backoff(a).TotalSeconds));
    }

    private sealed class RecordingHandler : IRecordChangeHandler
    {
        public string Name { get; init; } = "recording";

        public ConcurrentQueue<RecordEvent> Seen { get; } = new();

        public Guid? FailFor { get; set; }

        /// <summary>Handles this many changes, then stops its caller in the middle of the next one.</summary>
        public (int After, CancellationTokenSource Stop)? StopAfter { get; set; }

        public Task HandleAsync(RecordEvent change, CancellationToken cancellationToken)
        {
            if (StopAfter is { } plan && Seen.Count >= plan.After)
            {
                plan.Stop.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (change.RecordId == FailFor)
            {
                throw new InvalidOperationException("handler down");
            }

            Seen.Enqueue(change);
            return Task.CompletedTask;
        }
    }
}
