using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Triggers;

/// <summary>After-rules run from the outbox once the change has committed: at least once, retried when they fail, never twice when they succeeded.</summary>
public sealed class AfterRuleTests : IAsyncLifetime
{
    private readonly RulesHarness _rules = new(new Dictionary<string, string?> { ["Crm:Rules:Limits:Timeout"] = "00:00:05" });
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead(), FollowUp());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task An_after_create_rule_creates_a_follow_up_record_once_the_write_has_committed()
    {
        await _rules.SaveAsync(_session, "followUp", "lead", "crm.create('task', { title: '三天内回访 ' + record.name, leadName: record.name });", triggers: [RuleTrigger.AfterCreate]);

        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "王芳" })).Record!;
        Assert.Empty(await _rules.AllAsync(_session, "task"));

        await _rules.DrainOutboxAsync(_session);

        var task = Assert.Single(await _rules.AllAsync(_session, "task"));
        Assert.Equal(("三天内回访 王芳", "王芳"), (task.Get("title"), task.Get("leadName")));
        Assert.Equal(_session.Principal.UserId, task.OwnerId);
        var run = Assert.Single(await _rules.RunsAsync(_session, "followUp"));
        Assert.Equal(("succeeded", "afterCreate", lead.Id), (run.Outcome, run.Trigger, run.RecordId!.Value));
    }

    [Fact]
    public async Task An_after_update_rule_sees_what_changed_and_what_was_there_before_and_saves_its_changes_to_the_record()
    {
        await _rules.SaveAsync(_session, "note", "lead", "record.grade = previous.status + '→' + record.status; crm.notify(record.ownerId, '线索已确认：' + record.name);",
            condition: "changed('status')", triggers: [RuleTrigger.AfterUpdate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        await _rules.UpdateAsync(_session, "lead", lead.Id, new { company = "X" });
        await _rules.UpdateAsync(_session, "lead", lead.Id, new { status = "qualified" });

        await _rules.DrainOutboxAsync(_session);

        var stored = (await _rules.GetAsync(_session, "lead", lead.Id))!;
        Assert.Equal("new→qualified", stored.Get("grade"));
        var notes = await _rules.Services.GetRequiredService<Logging.Notifications>().ForUserAsync(_session, _session.Principal.UserId, unreadOnly: true, 10, CancellationToken.None);
        Assert.Equal("线索已确认：A", Assert.Single(notes).Message);
        Assert.Single(await _rules.RunsAsync(_session, "note"));
    }

    [Fact]
    public async Task An_after_rule_sees_the_record_as_its_change_left_it_even_when_later_writes_came_first()
    {
        await _rules.SaveAsync(_session, "onQualified", "lead", "crm.create('task', { title: record.status + '@' + record.version + ' was ' + previous.status });",
            condition: "changed('status') && record.status === 'qualified'", triggers: [RuleTrigger.AfterUpdate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A", status = "qualified" })).Record!;
        await _rules.UpdateAsync(_session, "lead", lead.Id, new { status = "lost" });
        await _rules.UpdateAsync(_session, "lead", lead.Id, new { status = "qualified" });
        await _rules.UpdateAsync(_session, "lead", lead.Id, new { name = "B" });

        await _rules.DrainOutboxAsync(_session);

        Assert.Equal("qualified@3 was lost", Assert.Single(await _rules.AllAsync(_session, "task")).Get("title"));
    }

    [Fact]
    public async Task An_after_delete_rule_runs_on_the_deleted_record()
    {
        await _rules.SaveAsync(_session, "onDelete", "lead", "crm.create('task', { title: '已删除 ' + record.name + ' ' + (record.deletedAt !== null) });", triggers: [RuleTrigger.AfterDelete]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        await _rules.Pipeline.DeleteAsync(_session, "lead", lead.Id, null, CancellationToken.None);

        await _rules.DrainOutboxAsync(_session);

        Assert.Equal("已删除 A true", Assert.Single(await _rules.AllAsync(_session, "task")).Get("title"));
    }

    [Fact]
    public async Task A_failing_after_rule_is_logged_and_retried_with_back_off_and_its_writes_are_undone()
    {
        await _rules.SaveAsync(_session, "flaky", "lead", "crm.create('task', { title: 'partial' }); throw new Error('外部系统不可用');", triggers: [RuleTrigger.AfterCreate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        var failedNoEarlierThan = DateTime.UtcNow;

        await _rules.DrainOutboxAsync(_session);

        Assert.Empty(await _rules.AllAsync(_session, "task"));
        var run = Assert.Single(await _rules.RunsAsync(_session, "flaky"));
        Assert.Equal((RuleErrorCodes.RuleError, "failed"), (run.ErrorCode, run.Outcome));
        Assert.Contains("外部系统不可用", run.Error, StringComparison.Ordinal);
        var outbox = await Outbox.RowAsync(_session, lead.Id);
        Assert.Equal(1, outbox.Attempts);
        Assert.Null(outbox.ProcessedAt);
        Assert.Contains("外部系统不可用", outbox.LastError, StringComparison.Ordinal);
        // The first back-off (1 s) counted from the failure, not from now: on a loaded machine more than a second can pass before this line.
        Assert.True(outbox.NextAttemptAt >= failedNoEarlierThan + OutboxDispatcher.Backoff(1), $"next attempt {outbox.NextAttemptAt:O}, failed after {failedNoEarlierThan:O}");
    }

    [Fact]
    public async Task A_change_whose_after_rule_fails_every_attempt_is_parked_visibly_and_can_be_retried_once_the_rule_is_fixed()
    {
        var rule = await _rules.SaveAsync(_session, "broken", "lead", "throw new Error('bug');", triggers: [RuleTrigger.AfterCreate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        var parked = _rules.Services.GetRequiredService<Logging.ParkedChanges>();
        for (var attempt = 0; attempt < Engine.Records.Pipeline.OutboxDispatcher.MaxAttempts; attempt++)
        {
            await _rules.DrainOutboxAsync(_session);
            await Outbox.MakeDueAsync(_session, lead.Id);
        }

        var change = Assert.Single(await parked.ListAsync(_session, 10, CancellationToken.None));
        Assert.Equal((lead.Id, 10), (change.RecordId, change.Attempts));
        Assert.Contains("bug", change.LastError, StringComparison.Ordinal);
        Assert.Equal(10, (await _rules.RunsAsync(_session, "broken")).Count);

        await _rules.Rules.SaveAsync(_session, rule.Id, RulesHarness.Rule("broken", "lead", "crm.create('task', { title: 'fixed' });", triggers: [RuleTrigger.AfterCreate]), null, CancellationToken.None);
        Assert.Equal(1, await parked.RetryAsync(_session, [change.Sequence], CancellationToken.None));
        await _rules.DrainOutboxAsync(_session);

        Assert.Empty(await parked.ListAsync(_session, 10, CancellationToken.None));
        Assert.Equal("fixed", Assert.Single(await _rules.AllAsync(_session, "task")).Get("title"));
    }

    [Fact]
    public async Task When_a_change_is_retried_the_after_rules_that_already_succeeded_do_not_run_again()
    {
        await _rules.SaveAsync(_session, "a_creates", "lead", "crm.create('task', { title: 'once' });", triggers: [RuleTrigger.AfterCreate], order: 1);
        await _rules.SaveAsync(_session, "b_fails_first", "lead", "if (crm.find('task', { title: 'go' }).length === 0) throw new Error('not yet');", triggers: [RuleTrigger.AfterCreate], order: 2);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        await _rules.DrainOutboxAsync(_session);
        await _rules.CreateAsync(_session, "task", new { title = "go" });
        await Outbox.MakeDueAsync(_session, lead.Id);

        await _rules.DrainOutboxAsync(_session);

        Assert.Single(await _rules.AllAsync(_session, "task"), t => (string?)t.Get("title") == "once");
        Assert.NotNull((await Outbox.RowAsync(_session, lead.Id)).ProcessedAt);
    }

    [Fact]
    public async Task A_rule_that_updates_its_own_record_forever_is_stopped_at_the_cascade_limit()
    {
        await _rules.SaveAsync(_session, "forever", "lead", "record.counter = (record.counter || 0) + 1;", triggers: [RuleTrigger.AfterCreate, RuleTrigger.AfterUpdate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;

        for (var pass = 0; pass < 12; pass++)
        {
            await _rules.DrainOutboxAsync(_session);
        }

        var counter = (long)(await _rules.GetAsync(_session, "lead", lead.Id))!.Get("counter")!;
        Assert.Equal(7, counter);
        var failed = Assert.Single(await _rules.RunsAsync(_session, "forever"), r => r.Outcome == "failed");
        Assert.Equal(ErrorCodes.CascadeLimit, failed.ErrorCode);
    }

    [Fact]
    public async Task A_before_rule_can_not_write_its_own_record_through_crm_update_and_is_told_why()
    {
        await _rules.SaveAsync(_session, "selfUpdate", "lead", "crm.update('lead', record.id, { grade: 'x' });", triggers: [RuleTrigger.BeforeUpdate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;

        var refused = await _rules.UpdateAsync(_session, "lead", lead.Id, new { name = "B" });

        var error = Assert.Single(refused.Errors);
        Assert.Equal(ErrorCodes.InvalidInput, error.Code);
        Assert.Contains("already being written", error.Message, StringComparison.Ordinal);
        Assert.Equal("A", (await _rules.GetAsync(_session, "lead", lead.Id))!.Get("name"));
    }

    [Fact]
    public async Task A_before_rule_that_keeps_creating_records_that_trigger_it_again_fails_with_CASCADE_LIMIT_and_writes_nothing()
    {
        await _rules.SaveAsync(_session, "chain", "lead", "crm.create('lead', { name: 'child' });");

        var refused = await _rules.CreateAsync(_session, "lead", new { name = "A" });

        Assert.Equal(ErrorCodes.CascadeLimit, Assert.Single(refused.Errors).Code);
        Assert.Empty(await _rules.AllAsync(_session, "lead"));
    }

    private static class Outbox
    {
        public static async Task<OutboxRowView> RowAsync(Engine.Records.CrmSession session, Guid recordId)
        {
            await using var context = session.CreateContext();
            var row = context.Set<Engine.Storage.OutboxRow>().Where(r => r.RecordId == recordId).OrderBy(r => r.Seq).First();
            return new OutboxRowView(row.Attempts, row.ProcessedAt, row.LastError, row.NextAttemptAt);
        }

        /// <summary>Pretends the back-off has passed.</summary>
        public static async Task MakeDueAsync(Engine.Records.CrmSession session, Guid recordId)
        {
            await using var context = session.CreateContext();
            await context.Set<Engine.Storage.OutboxRow>().Where(r => r.RecordId == recordId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, (DateTime?)null));
        }
    }

    private sealed record OutboxRowView(int Attempts, DateTime? ProcessedAt, string? LastError, DateTime? NextAttemptAt);
}
