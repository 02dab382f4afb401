using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Rules.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Triggers;

/// <summary>Before-rules run inside the write: they change the record or refuse it, and nothing is written when they fail.</summary>
public sealed class BeforeRuleTests : IAsyncLifetime
{
    private readonly RulesHarness _rules = new();
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead(), FollowUp());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task A_before_create_rule_that_sets_a_field_has_it_persisted()
    {
        await _rules.SaveAsync(_session, "grade", "lead", "record.grade = record.score >= 60 ? 'A' : 'B';");

        var created = await _rules.CreateAsync(_session, "lead", new { name = "王芳", score = 75L });

        Assert.True(created.Succeeded);
        Assert.Equal("A", (await _rules.GetAsync(_session, "lead", created.Record!.Id))!.Get("grade"));
    }

    [Fact]
    public async Task A_before_create_rule_that_rejects_refuses_the_write_with_a_field_error_and_writes_nothing()
    {
        await _rules.SaveAsync(_session, "needsCompany", "lead", "if (!record.company) crm.reject('请填写公司名称', 'company');");

        var refused = await _rules.CreateAsync(_session, "lead", new { name = "李雷" });

        var error = Assert.Single(refused.Errors);
        Assert.Equal((ErrorCodes.Rejected, "company", "请填写公司名称"), (error.Code, error.Field, error.Message));
        Assert.Empty(await _rules.AllAsync(_session, "lead"));
        Assert.True((await _rules.CreateAsync(_session, "lead", new { name = "李雷", company = "华为" })).Succeeded);
    }

    [Fact]
    public async Task A_before_update_rule_with_a_condition_runs_only_when_the_status_changes_to_qualified()
    {
        await _rules.SaveAsync(_session, "onQualified", "lead", "record.grade = 'hot'; crm.log('qualified', record.name);",
            condition: "changed('status') && record.status === 'qualified'", triggers: [RuleTrigger.BeforeUpdate]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;

        await _rules.UpdateAsync(_session, "lead", lead.Id, new { company = "X" });
        Assert.Null((await _rules.GetAsync(_session, "lead", lead.Id))!.Get("grade"));

        await _rules.UpdateAsync(_session, "lead", lead.Id, new { status = "qualified" });
        Assert.Equal("hot", (await _rules.GetAsync(_session, "lead", lead.Id))!.Get("grade"));

        var run = Assert.Single(await _rules.RunsAsync(_session, "onQualified"));
        Assert.Equal(("succeeded", "beforeUpdate", lead.Id, "qualified A"), (run.Outcome, run.Trigger, run.RecordId!.Value, run.Log));
    }

    [Fact]
    public async Task A_before_delete_rule_can_refuse_a_delete()
    {
        await _rules.SaveAsync(_session, "keepQualified", "lead", "if (record.status === 'qualified') crm.reject('已确认的线索不能删除');", triggers: [RuleTrigger.BeforeDelete]);
        var lead = (await _rules.CreateAsync(_session, "lead", new { name = "A", status = "qualified" })).Record!;

        var refused = await _rules.Pipeline.DeleteAsync(_session, "lead", lead.Id, null, CancellationToken.None);

        Assert.Equal(ErrorCodes.Rejected, Assert.Single(refused.Errors).Code);
        Assert.False((await _rules.GetAsync(_session, "lead", lead.Id))!.IsDeleted);
    }

    [Fact]
    public async Task Rules_run_in_order_and_each_sees_what_the_ones_before_it_set()
    {
        await _rules.SaveAsync(_session, "second", "lead", "record.grade = record.grade + '2';", order: 2);
        await _rules.SaveAsync(_session, "first", "lead", "record.grade = '1';", order: 1);

        var created = await _rules.CreateAsync(_session, "lead", new { name = "A" });

        Assert.Equal("12", created.Record!.Get("grade"));
    }

    [Fact]
    public async Task A_record_a_before_rule_creates_commits_with_the_write_and_is_undone_when_the_write_fails()
    {
        await _rules.SaveAsync(_session, "followUp", "lead", "crm.create('task', { title: '跟进 ' + record.name, leadName: record.name }); if (record.company === 'bad') crm.reject('no');");

        Assert.True((await _rules.CreateAsync(_session, "lead", new { name = "张三" })).Succeeded);
        Assert.False((await _rules.CreateAsync(_session, "lead", new { name = "李四", company = "bad" })).Succeeded);

        var task = Assert.Single(await _rules.AllAsync(_session, "task"));
        Assert.Equal("跟进 张三", task.Get("title"));
        Assert.Equal(_session.Principal.UserId, task.OwnerId);
    }

    [Fact]
    public async Task A_runtime_error_fails_the_write_with_RULE_ERROR_and_the_scripts_message()
    {
        await _rules.SaveAsync(_session, "broken", "lead", "const x = null;\nx.boom();");

        var refused = await _rules.CreateAsync(_session, "lead", new { name = "A" });

        var error = Assert.Single(refused.Errors);
        Assert.Equal(RuleErrorCodes.RuleError, error.Code);
        Assert.Contains("Rule 'broken'", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypeError", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _rules.AllAsync(_session, "lead"));
        Assert.Equal("failed", Assert.Single(await _rules.RunsAsync(_session, "broken")).Outcome);
    }

    [Fact]
    public async Task A_thrown_error_reaches_the_client_with_its_message()
    {
        await _rules.SaveAsync(_session, "thrower", "lead", "throw new Error('预算审批未通过');");

        var error = Assert.Single((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Errors);

        Assert.Equal(RuleErrorCodes.RuleError, error.Code);
        Assert.Contains("预算审批未通过", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_a_field_cannot_take_fails_the_rule_naming_the_field()
    {
        await _rules.SaveAsync(_session, "badScore", "lead", "record.score = 500;");

        var error = Assert.Single((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Errors);

        Assert.Equal((RuleErrorCodes.RuleError, "score"), (error.Code, error.Field));
        Assert.Contains("Rule 'badScore'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _rules.AllAsync(_session, "lead"));
    }

    [Fact]
    public async Task A_misspelt_field_fails_loudly_instead_of_being_ignored()
    {
        await _rules.SaveAsync(_session, "typo", "lead", "record.stauts = 'qualified';");

        var error = Assert.Single((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Errors);

        Assert.Equal(RuleErrorCodes.RuleError, error.Code);
        Assert.Contains("stauts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_fields_are_read_only_but_the_owner_can_be_reassigned()
    {
        var rep = (await _rules.Services.GetRequiredService<IdentityDirectory>().CreateUserAsync(_session.Store, _session.Principal.UserId, "rep@example.cn", "Rep", null, ["user"], CancellationToken.None)).Id;
        await _rules.SaveAsync(_session, "assign", "lead", $"record.ownerId = '{rep}';");
        await _rules.SaveAsync(_session, "readOnly", "lead", "record.id = 'x';", triggers: [RuleTrigger.BeforeUpdate]);

        var created = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        var refused = await _rules.UpdateAsync(_session, "lead", created.Id, new { name = "B" });

        Assert.Equal(rep, created.OwnerId);
        Assert.Equal(RuleErrorCodes.RuleError, Assert.Single(refused.Errors).Code);
    }

    [Fact]
    public async Task Values_reach_scripts_as_plain_javascript_and_come_back_typed()
    {
        await _rules.SaveAsync(_session, "types", "lead", """
            if (typeof record.score !== 'number') throw new Error('score ' + typeof record.score);
            if (record.budget.currency !== 'CNY' || record.budget.amount !== 1200.5) throw new Error('budget ' + JSON.stringify(record.budget));
            if (!(record.lastContactAt instanceof Date)) throw new Error('date');
            if (typeof record.id !== 'string' || previous !== null || user.id !== '{{USER}}') throw new Error('system');
            record.budget = { amount: record.budget.amount * 2, currency: 'USD' };
            record.lastContactAt = new Date(record.lastContactAt.getTime() + 86400000);
            record.score = record.score + 1;
            """.Replace("{{USER}}", _session.Principal.UserId.ToString(), StringComparison.Ordinal));

        var created = await _rules.CreateAsync(_session, "lead", new { name = "A", score = 10L, budget = 1200.5m, lastContactAt = "2025-03-01T08:00:00Z" });

        Assert.True(created.Succeeded, string.Join(";", created.Errors.Select(e => e.Message)));
        var stored = (await _rules.GetAsync(_session, "lead", created.Record!.Id))!;
        Assert.Equal(new Sdk.Records.Money(2401m, "USD"), stored.Get("budget"));
        Assert.Equal(new DateTime(2025, 3, 2, 8, 0, 0, DateTimeKind.Utc), stored.Get("lastContactAt"));
        Assert.Equal(11L, stored.Get("score"));
    }

    [Fact]
    public async Task A_rule_can_find_other_records_to_refuse_duplicates()
    {
        await _rules.SaveAsync(_session, "noDuplicates", "lead", "if (crm.find('lead', { name: record.name }).length > 0) crm.reject('已存在同名线索', 'name');");

        Assert.True((await _rules.CreateAsync(_session, "lead", new { name = "王芳" })).Succeeded);
        var refused = await _rules.CreateAsync(_session, "lead", new { name = "王芳" });

        Assert.Equal((ErrorCodes.Rejected, "name"), (Assert.Single(refused.Errors).Code, refused.Errors[0].Field));
        Assert.Single(await _rules.AllAsync(_session, "lead"));
    }

    [Fact]
    public async Task A_disabled_rule_does_not_run_and_enabling_it_takes_effect_at_once()
    {
        var rule = await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'X';");
        await _rules.Rules.DisableAsync(_session, rule.Id, CancellationToken.None);
        Assert.Null((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!.Get("grade"));

        await _rules.Rules.EnableAsync(_session, rule.Id, CancellationToken.None);
        Assert.Equal("X", (await _rules.CreateAsync(_session, "lead", new { name = "B" })).Record!.Get("grade"));
    }
}
