using CrmEngine.Engine.Errors;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;

namespace CrmEngine.Rules.Tests.Triggers;

/// <summary>Scheduled rules fire once per tick on the records their filter chooses; runRule runs a rule on chosen records now.</summary>
public sealed class ScheduledAndManualRuleTests : IAsyncLifetime
{
    /// <summary>30 天未跟进的客户退回公海, as docs/rules.md has it.</summary>
    private const string ReturnToPool = """
        const days = record.lastContactAt ? (crm.now() - record.lastContactAt) / 86400000 : Infinity;
        if (days >= 30) {
          record.inPool = true;
          record.grade = '30 天未跟进，退回公海';
          crm.log('returned', record.name);
        }
        """;

    private readonly RulesHarness _rules = new();
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead(), FollowUp());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task A_scheduled_rule_runs_on_the_records_its_filter_chooses_when_it_is_due()
    {
        var rule = await _rules.SaveAsync(_session, "pool", "lead", ReturnToPool, triggers: [RuleTrigger.Schedule], schedule: "0 2 * * *", filter: """{"inPool": {"ne": true}, "status": {"in": ["new", "qualified"]}}""");
        var idle = await NewLead("idle", DateTime.UtcNow.AddDays(-40));
        var recent = await NewLead("recent", DateTime.UtcNow.AddDays(-3));
        var lost = await NewLead("lost", DateTime.UtcNow.AddDays(-90), "lost");
        Assert.NotNull(rule.NextRunAt);
        Assert.Equal(2, rule.NextRunAt!.Value.Hour);

        Assert.Equal(0, await _rules.Scheduler.RunDueAsync(_session.TenantId, rule.NextRunAt.Value.AddSeconds(-1), CancellationToken.None));
        Assert.Equal(1, await _rules.Scheduler.RunDueAsync(_session.TenantId, rule.NextRunAt.Value, CancellationToken.None));

        Assert.Equal(true, (await _rules.GetAsync(_session, "lead", idle))!.Get("inPool"));
        Assert.Null((await _rules.GetAsync(_session, "lead", recent))!.Get("inPool"));
        Assert.Null((await _rules.GetAsync(_session, "lead", lost))!.Get("inPool"));
        var runs = await _rules.RunsAsync(_session, "pool");
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(("schedule", "succeeded"), (r.Trigger, r.Outcome)));
        Assert.Single(runs, r => r.Log == "returned idle");
    }

    [Fact]
    public async Task A_scheduled_rule_fires_exactly_once_per_tick_even_when_schedulers_race()
    {
        var rule = await _rules.SaveAsync(_session, "tick", "lead", "crm.create('task', { title: 'tick' });", triggers: [RuleTrigger.Schedule], schedule: "*/5 * * * *");
        await NewLead("only", DateTime.UtcNow);
        var due = rule.NextRunAt!.Value;

        var raced = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _rules.Scheduler.RunDueAsync(_session.TenantId, due, CancellationToken.None))));
        var again = await _rules.Scheduler.RunDueAsync(_session.TenantId, due.AddMinutes(4), CancellationToken.None);
        var next = await _rules.Scheduler.RunDueAsync(_session.TenantId, due.AddMinutes(5), CancellationToken.None);

        Assert.Equal(1, raced.Sum());
        Assert.Equal((0, 1), (again, next));
        Assert.Equal(2, (await _rules.AllAsync(_session, "task")).Count);
        var stored = await _rules.Rules.GetAsync(_session, rule.Id, null, CancellationToken.None);
        Assert.Equal(due.AddMinutes(10), stored!.NextRunAt);
    }

    [Fact]
    public async Task A_disabled_scheduled_rule_does_not_fire()
    {
        var rule = await _rules.SaveAsync(_session, "off", "lead", "crm.create('task', { title: 'x' });", triggers: [RuleTrigger.Schedule], schedule: "* * * * *");
        await NewLead("a", DateTime.UtcNow);
        await _rules.Rules.DisableAsync(_session, rule.Id, CancellationToken.None);

        Assert.Equal(0, await _rules.Scheduler.RunDueAsync(_session.TenantId, DateTime.UtcNow.AddHours(1), CancellationToken.None));
        Assert.Empty(await _rules.AllAsync(_session, "task"));
    }

    [Fact]
    public async Task RunRule_runs_a_rule_on_the_chosen_records_and_saves_what_it_changed()
    {
        await _rules.SaveAsync(_session, "pool", "lead", ReturnToPool, triggers: [RuleTrigger.Manual]);
        var idle = await NewLead("idle", DateTime.UtcNow.AddDays(-31));
        var recent = await NewLead("recent", DateTime.UtcNow);
        var untouched = await NewLead("untouched", DateTime.UtcNow.AddDays(-100));

        var results = await _rules.Manual.RunAsync(_session, "pool", [idle, recent], CancellationToken.None);

        Assert.Equal([RuleRunOutcome.Succeeded, RuleRunOutcome.Succeeded], results.Select(r => r.Outcome));
        Assert.Equal(["grade", "inPool"], results[0].Changes.Select(c => c.Field).Order());
        Assert.Empty(results[1].Changes);
        Assert.Equal(true, (await _rules.GetAsync(_session, "lead", idle))!.Get("inPool"));
        Assert.Null((await _rules.GetAsync(_session, "lead", untouched))!.Get("inPool"));
        var runs = await _rules.RunsAsync(_session, "pool");
        Assert.All(runs, r => Assert.Equal("manual", r.Trigger));
        Assert.Equal(2, runs.Count);
    }

    [Fact]
    public async Task RunRule_reports_a_missing_record_and_a_failing_record_without_stopping_the_others()
    {
        await _rules.SaveAsync(_session, "picky", "lead", "if (record.name === 'bad') throw new Error('no'); record.grade = 'ok';", triggers: [RuleTrigger.Manual]);
        var bad = await NewLead("bad", DateTime.UtcNow);
        var good = await NewLead("good", DateTime.UtcNow);

        var results = await _rules.Manual.RunAsync(_session, "picky", [Guid.CreateVersion7(), bad, good], CancellationToken.None);

        Assert.Equal([RuleRunOutcome.Failed, RuleRunOutcome.Failed, RuleRunOutcome.Succeeded], results.Select(r => r.Outcome));
        Assert.Equal(ErrorCodes.NotFound, results[0].Error!.Code);
        Assert.Equal(RuleErrorCodes.RuleError, results[1].Error!.Code);
        Assert.Null((await _rules.GetAsync(_session, "lead", bad))!.Get("grade"));
        Assert.Equal("ok", (await _rules.GetAsync(_session, "lead", good))!.Get("grade"));
    }

    [Fact]
    public async Task RunRule_needs_admin_rights_and_an_enabled_rule()
    {
        var rule = await _rules.SaveAsync(_session, "r", "lead", "record.grade = 'x';", triggers: [RuleTrigger.Manual]);
        var lead = await NewLead("a", DateTime.UtcNow);
        var rep = await _rules.SessionAsync(_session.TenantId, admin: false);

        var forbidden = await Assert.ThrowsAsync<CrmException>(() => _rules.Manual.RunAsync(rep, "r", [lead], CancellationToken.None));
        await _rules.Rules.DisableAsync(_session, rule.Id, CancellationToken.None);
        var disabled = await Assert.ThrowsAsync<CrmException>(() => _rules.Manual.RunAsync(_session, "r", [lead], CancellationToken.None));

        Assert.Equal((ErrorCodes.Forbidden, ErrorCodes.InvalidInput), (forbidden.Code, disabled.Code));
        Assert.Null((await _rules.GetAsync(_session, "lead", lead))!.Get("grade"));
    }

    private async Task<Guid> NewLead(string name, DateTime lastContact, string status = "new") =>
        (await _rules.CreateAsync(_session, "lead", new { name, lastContactAt = lastContact, status })).Record!.Id;
}
