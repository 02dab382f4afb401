using System.Collections.Concurrent;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Definitions;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Scaling;

/// <summary>
/// Three hosts (each a harness with its own services, leases and connections) on one PostgreSQL
/// database: outbox work and scheduled ticks run exactly once across them, and work a host leaves
/// half done when it dies is finished by another.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsWorkTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private readonly List<RulesHarness> _hosts = [];

    public Task InitializeAsync()
    {
        _store = TestStore.CreatePostgres();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    [PostgresFact]
    public async Task Every_outbox_change_is_handled_once_when_three_hosts_drain_together()
    {
        var handled = new ConcurrentBag<(int Host, long Seq)>();
        var hosts = Enumerable.Range(0, 3).Select(i => Host(s => s.AddSingleton<IRecordChangeHandler>(new Recorder(i, handled, null)))).ToList();
        var session = await hosts[0].NewTenantAsync(Lead());
        for (var i = 0; i < 60; i++)
        {
            await hosts[i % 3].CreateAsync(await hosts[i % 3].SessionAsync(session.TenantId), "lead", new { name = "lead " + i });
        }

        await Task.WhenAll(hosts.Select(h => Task.Run(() => h.Outbox.DrainAsync(session.TenantId, CancellationToken.None))));

        var seqs = handled.Select(h => h.Seq).ToList();
        Assert.Equal(60, seqs.Count);
        Assert.Equal(60, seqs.Distinct().Count());
    }

    [PostgresFact]
    public async Task Outbox_work_a_host_left_when_it_died_is_finished_by_another_exactly_once()
    {
        var handled = new ConcurrentBag<(int Host, long Seq)>();
        using var death = new CancellationTokenSource();
        var dying = Host(s => s.AddSingleton<IRecordChangeHandler>(new Recorder(0, handled, (After: 5, Death: death))));
        var survivor = Host(s => s.AddSingleton<IRecordChangeHandler>(new Recorder(1, handled, null)));
        var session = await dying.NewTenantAsync(Lead());
        for (var i = 0; i < 20; i++)
        {
            await dying.CreateAsync(session, "lead", new { name = "lead " + i });
        }

        // The dying host handles five changes, then goes down in the middle of the sixth.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.Outbox.DrainAsync(session.TenantId, death.Token));
        await DieAsync(dying);
        await survivor.Outbox.DrainAsync(session.TenantId, CancellationToken.None);

        Assert.Equal(5, handled.Count(h => h.Host == 0));
        Assert.Equal(15, handled.Count(h => h.Host == 1));
        Assert.Equal(20, handled.Select(h => h.Seq).Distinct().Count());
    }

    [PostgresFact]
    public async Task A_due_scheduled_tick_runs_once_on_each_record_when_three_hosts_race_for_it()
    {
        var hosts = Enumerable.Range(0, 3).Select(_ => Host()).ToList();
        var session = await hosts[0].NewTenantAsync(Lead());
        var rule = await hosts[0].SaveAsync(session, "count", "lead", "record.counter = (record.counter || 0) + 1;", triggers: [RuleTrigger.Schedule], schedule: "*/5 * * * *");
        for (var i = 0; i < 12; i++)
        {
            await hosts[0].CreateAsync(session, "lead", new { name = "lead " + i });
        }

        var ran = await Task.WhenAll(hosts.Select(h => Task.Run(() => h.Scheduler.RunDueAsync(session.TenantId, rule.NextRunAt!.Value, CancellationToken.None))));

        Assert.Equal(1, ran.Sum());
        Assert.All(await hosts[1].AllAsync(session, "lead"), r => Assert.Equal(1L, Convert.ToInt64(r.Get("counter"), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [PostgresFact]
    public async Task A_scheduled_tick_a_host_left_when_it_died_is_resumed_by_another_and_each_record_runs_once()
    {
        using var death = new CancellationTokenSource();
        var dying = Host(s => s.AddSingleton<IRecordHook>(new DieOnUpdate(After: 4, death)));
        var survivor = Host();
        var session = await dying.NewTenantAsync(Lead());
        var rule = await dying.SaveAsync(session, "count", "lead", "record.counter = (record.counter || 0) + 1;", triggers: [RuleTrigger.Schedule], schedule: "*/5 * * * *");
        for (var i = 0; i < 10; i++)
        {
            await dying.CreateAsync(session, "lead", new { name = "lead " + i });
        }

        var due = rule.NextRunAt!.Value;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.Scheduler.RunDueAsync(session.TenantId, due, death.Token));
        Assert.Equal(4, (await survivor.AllAsync(session, "lead")).Count(r => r.Get("counter") is not null));
        await DieAsync(dying);

        // Still before the next due time: the only work is the tick left unfinished.
        Assert.Equal(1, await survivor.Scheduler.RunDueAsync(session.TenantId, due.AddMinutes(1), CancellationToken.None));
        Assert.Equal(0, await survivor.Scheduler.RunDueAsync(session.TenantId, due.AddMinutes(2), CancellationToken.None));

        var leads = await survivor.AllAsync(session, "lead");
        Assert.Equal(10, leads.Count);
        Assert.All(leads, r => Assert.Equal(1L, Convert.ToInt64(r.Get("counter"), System.Globalization.CultureInfo.InvariantCulture)));
    }

    private RulesHarness Host(Action<IServiceCollection>? configure = null)
    {
        var host = new RulesHarness(configure: configure, store: _store);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A host going down: its services (and with them its connections and advisory locks) go.</summary>
    private async Task DieAsync(RulesHarness host)
    {
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    private static Engine.Metadata.EntityDefinition Lead() => Entity("lead",
        Field("name", Sdk.Metadata.FieldType.Text), Field("counter", Sdk.Metadata.FieldType.Integer));

    /// <summary>Records which host handled which outbox change; with a death plan, the host dies while handling the one after <c>After</c>.</summary>
    private sealed class Recorder(int host, ConcurrentBag<(int Host, long Seq)> handled, (int After, CancellationTokenSource Death)? death) : IRecordChangeHandler
    {
        private int _count;

        public string Name => "recorder";

        public Task HandleAsync(RecordEvent change, CancellationToken cancellationToken)
        {
            if (death is { } plan && Interlocked.Increment(ref _count) > plan.After)
            {
                plan.Death.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            handled.Add((host, change.Sequence));
            return Task.CompletedTask;
        }
    }

    /// <summary>Lets <c>After</c> updates through, then kills its host in the middle of the next one.</summary>
    private sealed class DieOnUpdate(int After, CancellationTokenSource death) : IRecordHook
    {
        private int _count;

        public string Source => "test";

        public bool AppliesTo(RecordChange change) => change.Operation == RecordOperation.Update;

        public Task BeforeAsync(RecordChange change, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) > After)
            {
                death.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return Task.CompletedTask;
        }
    }
}
