using System.Diagnostics;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Concurrency;

/// <summary>
/// Each tenant's rules get a concurrency budget on the host (one place here), and all tenants'
/// together another (three). A run that finds its places taken waits briefly and is then refused
/// with RULES_BUSY, changing nothing; other tenants' rules run meanwhile; background runs
/// (after-rules, schedules) are put off, never lost. Places are taken here by the test itself, as
/// runs elsewhere would hold them (on a single-writer store the tenant's write lock would otherwise
/// keep its runs from ever meeting).
/// </summary>
public sealed class RuleBudgetTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(500);

    private readonly RulesHarness _rules = new(new Dictionary<string, string?>
    {
        ["Crm:Rules:MaxConcurrentRunsPerTenant"] = "1",
        ["Crm:Rules:MaxConcurrentRuns"] = "3",
        ["Crm:Rules:RunQueueTimeout"] = Wait.ToString(),
    });

    private CrmSession _session = null!;

    private RunPlaces Places => _rules.Services.GetRequiredService<RunPlaces>();

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead(), FollowUp());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task A_run_beyond_its_tenants_places_waits_briefly_then_is_refused_with_RULES_BUSY_and_the_write_changes_nothing_while_other_tenants_run()
    {
        await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'A';");
        var other = await _rules.NewTenantAsync(Lead());
        await _rules.SaveAsync(other, "grade", "lead", "record.grade = 'B';");

        using (await HoldPlaceAsync(_session))
        {
            var watch = Stopwatch.StartNew();
            var refused = await _rules.CreateAsync(_session, "lead", new { name = "A" });
            var waited = watch.Elapsed;

            var error = Assert.Single(refused.Errors);
            Assert.Equal("RULES_BUSY", error.Code);
            Assert.Contains("Rule 'grade' was not run", error.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
            Assert.InRange(waited, Wait - TimeSpan.FromMilliseconds(50), Wait + TimeSpan.FromSeconds(5));
            Assert.Empty(await _rules.AllAsync(_session, "lead"));

            // Had the other tenant needed this tenant's place, its run would have been refused too
            // (the place stays taken throughout): that it ran shows it never waited for it.
            var elsewhere = await _rules.CreateAsync(other, "lead", new { name = "B" });
            Assert.Equal("B", elsewhere.Record!.Get("grade"));
        }

        Assert.Equal("A", (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!.Get("grade"));
        // The refused run never ran: the run log has the one that did.
        Assert.Single(await _rules.RunsAsync(_session, "grade"));
    }

    [Fact]
    public async Task A_run_that_finds_every_place_taken_runs_as_soon_as_one_comes_free()
    {
        await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'A';");
        var held = await HoldPlaceAsync(_session);
        var watch = Stopwatch.StartNew();

        var write = _rules.CreateAsync(_session, "lead", new { name = "A" });
        await Task.Delay(Wait / 5);
        held.Dispose();
        var created = await write;

        Assert.Equal("A", created.Record!.Get("grade"));
        Assert.True(watch.Elapsed >= Wait / 5, "the rule ran while its tenant's only place was taken");
    }

    [Fact]
    public async Task Rules_that_a_rules_writes_trigger_run_on_the_place_of_the_run_that_caused_them()
    {
        await _rules.SaveAsync(_session, "followUp", "lead", "crm.create('task', { title: 'call ' + record.name });");
        await _rules.SaveAsync(_session, "label", "task", "record.leadName = 'from a rule';");

        var created = await _rules.CreateAsync(_session, "lead", new { name = "A" });

        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.Equal("from a rule", Assert.Single(await _rules.AllAsync(_session, "task")).Get("leadName"));
    }

    [Fact]
    public async Task Beyond_the_hosts_places_for_all_tenants_a_run_of_any_tenant_waits_briefly_then_is_refused_with_RULES_BUSY()
    {
        var others = new List<CrmSession>();
        for (var i = 0; i < 3; i++)
        {
            others.Add(await _rules.NewTenantAsync(Lead()));
        }

        await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'A';");
        var held = new List<IDisposable>();
        foreach (var other in others)
        {
            held.Add(await HoldPlaceAsync(other));
        }

        var refused = await _rules.CreateAsync(_session, "lead", new { name = "A" });
        var error = Assert.Single(refused.Errors);
        Assert.Equal(RuleErrorCodes.Busy, error.Code);
        Assert.Contains("this server is running as many rules as it may at once (3)", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _rules.AllAsync(_session, "lead"));

        held[0].Dispose();
        Assert.Equal("A", (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!.Get("grade"));
        held.ForEach(h => h.Dispose());
    }

    [Fact]
    public void Rules_hold_thread_pool_threads_so_the_pools_minimum_is_raised_by_the_hosts_places()
    {
        ThreadPool.GetMinThreads(out var workers, out _);

        Assert.True(workers >= Environment.ProcessorCount + Places.Host, $"the pool's minimum is {workers} threads");
    }

    [Fact]
    public async Task An_after_rule_refused_for_busy_rules_is_put_off_without_counting_an_attempt_and_is_never_parked_for_it()
    {
        await _rules.SaveAsync(_session, "followUp", "lead", "crm.create('task', { title: 'call ' + record.name });", triggers: [RuleTrigger.AfterCreate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;

        using (await HoldPlaceAsync(_session))
        {
            for (var attempt = 0; attempt <= OutboxDispatcher.MaxAttempts; attempt++)
            {
                var watch = Stopwatch.StartNew();
                await _rules.DrainOutboxAsync(_session);
                Assert.True(watch.Elapsed < Wait, $"the after stage waited {watch.Elapsed} for a place");
                var row = await OutboxRowAsync(_session, lead.Id);
                Assert.Equal((0, (DateTime?)null), (row.Attempts, row.ProcessedAt));
                Assert.Contains("Rule 'followUp' was not run", row.LastError, StringComparison.Ordinal);
                Assert.True(row.NextAttemptAt > DateTime.UtcNow);
                await MakeDueAsync(_session);
            }
        }

        Assert.Empty(await _rules.AllAsync(_session, "task"));
        Assert.Empty(await _rules.RunsAsync(_session, "followUp"));
        await _rules.DrainOutboxAsync(_session);
        Assert.Equal("call A", Assert.Single(await _rules.AllAsync(_session, "task")).Get("title"));
        Assert.NotNull((await OutboxRowAsync(_session, lead.Id)).ProcessedAt);
    }

    [Fact]
    public async Task A_full_batch_of_changes_put_off_for_busy_rules_does_not_keep_the_after_stage_spinning()
    {
        await _rules.SaveAsync(_session, "followUp", "lead", "crm.create('task', { title: 'call ' + record.name });", triggers: [RuleTrigger.AfterCreate]);
        for (var i = 0; i < 120; i++)
        {
            await _rules.CreateAsync(_session, "lead", new { name = "L" + i });
        }

        using (await HoldPlaceAsync(_session))
        {
            // Put off for a second: a drain that read its waiting batch again and again would still be at it when this gives up.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _rules.Outbox.DrainAsync(_session.TenantId, patience.Token);
            await _rules.Outbox.DrainAsync(_session.TenantId, patience.Token);
        }

        await MakeDueAsync(_session);
        await _rules.DrainOutboxAsync(_session);
        Assert.Equal(120, (await _rules.AllAsync(_session, "task")).Count);
    }

    [Fact]
    public async Task A_scheduled_tick_that_finds_its_tenants_rules_busy_pauses_and_the_next_pass_finishes_it()
    {
        var rule = await _rules.SaveAsync(_session, "mark", "lead", "record.grade = 'seen';", triggers: [RuleTrigger.Schedule], schedule: "0 2 * * *");
        foreach (var name in new[] { "A", "B", "C" })
        {
            await _rules.CreateAsync(_session, "lead", new { name });
        }

        using (await HoldPlaceAsync(_session))
        {
            Assert.Equal(0, await _rules.Scheduler.RunDueAsync(_session.TenantId, rule.NextRunAt!.Value, CancellationToken.None));
        }

        Assert.All(await _rules.AllAsync(_session, "lead"), l => Assert.Null(l.Get("grade")));
        await using (var context = _session.CreateContext())
        {
            Assert.NotNull((await context.Set<RuleRow>().SingleAsync()).RunningTick);
        }

        Assert.Equal(1, await _rules.Scheduler.RunDueAsync(_session.TenantId, rule.NextRunAt.Value.AddMinutes(1), CancellationToken.None));
        Assert.All(await _rules.AllAsync(_session, "lead"), l => Assert.Equal("seen", l.Get("grade")));
    }

    [Fact]
    public async Task A_run_beyond_a_full_line_is_refused_at_once()
    {
        await using var rules = new RulesHarness(new Dictionary<string, string?>
        {
            ["Crm:Rules:MaxConcurrentRunsPerTenant"] = "1",
            ["Crm:Rules:MaxQueuedRunsPerTenant"] = "0",
            ["Crm:Rules:RunQueueTimeout"] = "00:00:30",
        });
        var session = await rules.NewTenantAsync(Lead());
        await rules.SaveAsync(session, "grade", "lead", "record.grade = 'A';");

        using ((await rules.Services.GetRequiredService<RunPlaces>().EnterAsync(session.TenantId, TimeSpan.Zero, CancellationToken.None)).Place)
        {
            var watch = Stopwatch.StartNew();
            var refused = await rules.CreateAsync(session, "lead", new { name = "A" });
            Assert.Equal(RuleErrorCodes.Busy, Assert.Single(refused.Errors).Code);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"refused after {watch.Elapsed}");
        }
    }

    private async Task<IDisposable> HoldPlaceAsync(CrmSession session) =>
        (await Places.EnterAsync(session.TenantId, TimeSpan.Zero, CancellationToken.None)).Place ?? throw new InvalidOperationException("The tenant's place was taken.");

    private static async Task<OutboxRow> OutboxRowAsync(CrmSession session, Guid recordId)
    {
        await using var context = session.CreateContext();
        return await context.Set<OutboxRow>().Where(r => r.RecordId == recordId).OrderBy(r => r.Seq).FirstAsync();
    }

    /// <summary>Pretends every back-off has passed.</summary>
    private static async Task MakeDueAsync(CrmSession session)
    {
        await using var context = session.CreateContext();
        await context.Set<OutboxRow>().ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, (DateTime?)null));
    }
}
