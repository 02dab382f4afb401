using CrmEngine.Engine.Errors;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Scripting;
using CrmEngine.Testing;

namespace CrmEngine.Rules.Tests.DryRun;

/// <summary>testRule runs a rule for real against a real record and reports what it would do, writing nothing.</summary>
public sealed class DryRunTests : IAsyncLifetime
{
    private readonly RulesHarness _rules = new();
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead(), FollowUp());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task A_dry_run_reports_the_changes_writes_notifications_and_logs_of_a_saved_rule_and_writes_nothing()
    {
        var rule = await _rules.SaveAsync(_session, "qualify", "lead", """
            record.grade = 'A';
            const task = crm.create('task', { title: '回访 ' + record.name });
            crm.notify(record.ownerId, '新的回访任务 ' + task.title);
            crm.log('created', task.title, task.id.length);
            """, triggers: [RuleTrigger.AfterUpdate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "王芳" })).Record!;
        var files = await Snapshot();

        var (result, syntax) = await _rules.Tester.TestAsync(_session, new RuleTestRequest { RuleId = rule.Id, RecordId = lead.Id }, CancellationToken.None);

        Assert.Null(syntax);
        Assert.Equal((true, RuleRunOutcome.Succeeded), (result!.ConditionMet, result.Outcome));
        Assert.Equal(("grade", null, (object?)"A"), (result.Changes.Single().Field, result.Changes.Single().Old, result.Changes.Single().New));
        Assert.Equal(["create", "notify"], result.Effects.Select(e => e.Kind));
        Assert.Equal("回访 王芳", result.Effects[0].Values!["title"]);
        Assert.Equal("新的回访任务 回访 王芳", result.Effects[1].Message);
        Assert.Equal("created 回访 王芳 36", Assert.Single(result.Logs));
        Assert.True(result.Statements > 0);
        Assert.True(result.Duration > TimeSpan.Zero);
        Assert.Equal(files, await Snapshot());
        Assert.Null((await _rules.GetAsync(_session, "lead", lead.Id))!.Get("grade"));
    }

    [Fact]
    public async Task A_dry_run_of_a_script_on_a_new_record_shows_a_rejection()
    {
        var (result, _) = await _rules.Tester.TestAsync(_session, new RuleTestRequest
        {
            Entity = "lead",
            Script = "if (record.score < 60) crm.reject('分数太低', 'score');",
            Record = new Dictionary<string, object?> { ["name"] = "A", ["score"] = 10L },
        }, CancellationToken.None);

        Assert.Equal(RuleRunOutcome.Rejected, result!.Outcome);
        Assert.Equal((ErrorCodes.Rejected, "score", "分数太低"), (result.Rejections[0].Code, result.Rejections[0].Field, result.Rejections[0].Message));
    }

    [Fact]
    public async Task A_dry_run_of_a_write_shows_whether_the_condition_would_let_the_rule_run()
    {
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        var request = new RuleTestRequest { Entity = "lead", Script = "record.grade = 'hot';", Condition = "changed('status') && record.status === 'qualified'", RecordId = lead.Id, Trigger = RuleTrigger.BeforeUpdate };

        var (unchanged, _) = await _rules.Tester.TestAsync(_session, request, CancellationToken.None);
        var (qualified, _) = await _rules.Tester.TestAsync(_session, request with { Changes = new Dictionary<string, object?> { ["status"] = "qualified" } }, CancellationToken.None);

        Assert.Equal((false, RuleRunOutcome.Skipped), (unchanged!.ConditionMet, unchanged.Outcome));
        Assert.Equal((true, "hot"), (qualified!.ConditionMet, qualified.Changes.Single().New));
    }

    [Fact]
    public async Task A_dry_run_that_breaks_a_limit_reports_it_and_writes_nothing()
    {
        var files = await Snapshot();

        var (result, _) = await _rules.Tester.TestAsync(_session, new RuleTestRequest { Entity = "lead", Script = "crm.create('task', { title: 'x' }); while (true) {}" }, CancellationToken.None);

        Assert.Equal((RuleRunOutcome.LimitExceeded, RuleErrorCodes.LimitExceeded), (result!.Outcome, result.Error!.Code));
        Assert.Equal(files, await Snapshot());
    }

    [Fact]
    public async Task A_dry_run_of_a_script_with_a_syntax_error_reports_line_and_column()
    {
        var (result, syntax) = await _rules.Tester.TestAsync(_session, new RuleTestRequest { Entity = "lead", Script = "record.grade = ;" }, CancellationToken.None);

        Assert.Null(result);
        Assert.Equal((1, 16), (syntax!.Line, syntax.Column));
    }

    [Fact]
    public async Task A_dry_run_of_a_missing_record_or_without_a_script_is_refused()
    {
        var missing = await Assert.ThrowsAsync<CrmException>(() => _rules.Tester.TestAsync(_session, new RuleTestRequest { Entity = "lead", Script = "1;", RecordId = Guid.CreateVersion7() }, CancellationToken.None));
        var empty = await Assert.ThrowsAsync<CrmException>(() => _rules.Tester.TestAsync(_session, new RuleTestRequest { Entity = "lead" }, CancellationToken.None));

        Assert.Equal((ErrorCodes.NotFound, ErrorCodes.Required), (missing.Code, empty.Code));
    }

    /// <summary>Row counts of every table the rules could touch, run log included.</summary>
    private async Task<string> Snapshot()
    {
        await _rules.RunLog.FlushAsync(CancellationToken.None);
        var counts = new List<string>();
        foreach (var table in new[] { "lead", "task", "crm_outbox", "crm_audit", "crm_notification", "crm_rule_run", "crm_sequence" })
        {
            counts.Add(table + "=" + await StoreInspector.ScalarAsync(_session.Store.ConnectionString, $"SELECT COUNT(*) FROM {table}"));
        }

        counts.Add("grades=" + await StoreInspector.ScalarAsync(_session.Store.ConnectionString, "SELECT COUNT(*) FROM lead WHERE grade IS NOT NULL"));
        return string.Join(',', counts);
    }
}
