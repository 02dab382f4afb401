using CrmEngine.Engine.Errors;
using CrmEngine.Rules.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Rules.Tests.Admin;

/// <summary>Rules are versioned tenant data; bad rules are refused at save with clear errors, and nothing is stored.</summary>
public sealed class RuleAdminTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RulesHarness _rules;
    private Engine.Records.CrmSession _session = null!;

    public RuleAdminTests()
    {
        _rules = new RulesHarness(configure: services => services.AddSingleton<TimeProvider>(_time));
    }

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task A_syntax_error_is_refused_at_save_with_line_and_column_and_nothing_is_saved()
    {
        var result = await _rules.Rules.SaveAsync(_session, null, RulesHarness.Rule("broken", "lead", "const a = 1;\nconst b = ;\nrecord.grade = 'x';"), true, CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal((RuleErrorCodes.SyntaxError, "script"), (error.Code, error.Field));
        Assert.Equal(("script", 2, 11), (result.Syntax!.Part, result.Syntax.Line, result.Syntax.Column));
        Assert.Contains("line 2, column 11", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _rules.Rules.ListAsync(_session, null, includeDeleted: true, CancellationToken.None));
    }

    [Fact]
    public async Task A_condition_must_be_a_single_expression()
    {
        var result = await _rules.Rules.SaveAsync(_session, null, RulesHarness.Rule("c", "lead", "record.grade = 'x';", condition: "record.score > 1; while (true) {}"), true, CancellationToken.None);

        Assert.Equal((RuleErrorCodes.SyntaxError, "condition"), (result.Errors[0].Code, result.Errors[0].Field));
    }

    [Theory]
    [InlineData("bad name", "lead", null, null, ErrorCodes.InvalidName, "name")]
    [InlineData("r", "nope", null, null, ErrorCodes.UnknownEntity, "entity")]
    [InlineData("r", "lead", "not cron", null, ErrorCodes.InvalidInput, "schedule")]
    [InlineData("r", "lead", "0 2 * * *", """{"nope": {"eq": 1}}""", ErrorCodes.UnknownField, "filter")]
    [InlineData("r", "lead", "0 2 * * *", """{"score": {"eq": "many"}}""", ErrorCodes.InvalidValue, "filter")]
    [InlineData("r", "lead", "0 2 * * *", "{not json", ErrorCodes.InvalidInput, "filter")]
    public async Task A_rule_with_a_bad_part_is_refused_with_a_typed_error(string name, string entity, string? schedule, string? filter, string code, string field)
    {
        var triggers = schedule is null ? new[] { RuleTrigger.BeforeCreate } : [RuleTrigger.Schedule];
        var result = await _rules.Rules.SaveAsync(_session, null, RulesHarness.Rule(name, entity, "record.grade = 'x';", triggers: triggers, schedule: schedule, filter: filter), true, CancellationToken.None);

        Assert.Contains(result.Errors, e => e.Code == code && e.Field == field);
        Assert.Empty(await _rules.Rules.ListAsync(_session, null, includeDeleted: true, CancellationToken.None));
    }

    [Fact]
    public async Task Triggers_must_be_given_and_a_schedule_needs_the_schedule_trigger_and_a_real_time_zone()
    {
        var none = await _rules.Rules.SaveAsync(_session, null, RulesHarness.Rule("r", "lead", "1;", triggers: []), true, CancellationToken.None);
        var stray = await _rules.Rules.SaveAsync(_session, null, RulesHarness.Rule("r", "lead", "1;", schedule: "0 2 * * *"), true, CancellationToken.None);
        var zone = await _rules.Rules.SaveAsync(_session, null, RulesHarness.Rule("r", "lead", "1;", triggers: [RuleTrigger.Schedule], schedule: "0 2 * * *") with { TimeZone = "Mars/Olympus" }, true, CancellationToken.None);

        Assert.Equal("triggers", none.Errors[0].Field);
        Assert.Equal("schedule", stray.Errors[0].Field);
        Assert.Equal("timeZone", zone.Errors[0].Field);
    }

    [Fact]
    public async Task Saving_makes_a_new_version_and_an_old_one_can_be_restored_as_the_newest()
    {
        await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'v1';");
        var second = await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'v2';");
        var same = await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'v2';");
        Assert.Equal((2L, 2L), (second.Version, same.Version));
        Assert.Equal("v2", (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!.Get("grade"));

        var restored = await _rules.Rules.RestoreVersionAsync(_session, second.Id, 1, CancellationToken.None);

        Assert.Equal(3L, restored.Rule!.Version);
        Assert.Equal("v1", (await _rules.CreateAsync(_session, "lead", new { name = "B" })).Record!.Get("grade"));
        var versions = await _rules.Rules.VersionsAsync(_session, second.Id, CancellationToken.None);
        Assert.Equal([3L, 2L, 1L], versions.Select(v => v.Version));
        Assert.Equal("Restored from version 1.", versions[0].Note);
        Assert.Equal(_session.Principal.UserId, versions[0].Author);
    }

    [Fact]
    public async Task A_deleted_rule_stops_running_frees_its_name_and_keeps_its_history()
    {
        var rule = await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'old';");
        await _rules.Rules.DeleteAsync(_session, rule.Id, CancellationToken.None);

        Assert.Null((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!.Get("grade"));
        var again = await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'new';");
        Assert.NotEqual(rule.Id, again.Id);
        var all = await _rules.Rules.ListAsync(_session, null, includeDeleted: true, CancellationToken.None);
        Assert.Equal(2, all.Count);
        Assert.NotNull((await _rules.Rules.GetAsync(_session, rule.Id, null, CancellationToken.None))!.DeletedAt);
    }

    [Fact]
    public async Task Renaming_a_rule_onto_another_rules_name_is_refused()
    {
        await _rules.SaveAsync(_session, "a", "lead", "1;");
        var b = await _rules.SaveAsync(_session, "b", "lead", "2;");

        var result = await _rules.Rules.SaveAsync(_session, b.Id, RulesHarness.Rule("a", "lead", "2;"), null, CancellationToken.None);

        Assert.Equal(ErrorCodes.NameTaken, Assert.Single(result.Errors).Code);
        Assert.Equal("b", (await _rules.Rules.GetAsync(_session, b.Id, null, CancellationToken.None))!.Definition.Name);
    }

    [Fact]
    public async Task Only_admins_may_change_or_read_rules()
    {
        var rep = await _rules.SessionAsync(_session.TenantId, admin: false);

        var save = await _rules.Rules.SaveAsync(rep, null, RulesHarness.Rule("r", "lead", "1;"), true, CancellationToken.None);
        var list = await Assert.ThrowsAsync<CrmException>(() => _rules.Rules.ListAsync(rep, null, false, CancellationToken.None));

        Assert.Equal(ErrorCodes.Forbidden, Assert.Single(save.Errors).Code);
        Assert.Equal(ErrorCodes.Forbidden, list.Code);
        Assert.Empty(await _rules.Rules.ListAsync(_session, null, true, CancellationToken.None));
    }

    [Fact]
    public async Task Run_log_entries_older_than_the_retention_are_pruned()
    {
        await _rules.SaveAsync(_session, "grade", "lead", "record.grade = 'x';");
        await _rules.CreateAsync(_session, "lead", new { name = "A" });
        Assert.Single(await _rules.RunsAsync(_session));

        Assert.Equal(0, await _rules.RunLog.PruneAsync(_session.Store, TimeSpan.FromDays(1), CancellationToken.None));
        Assert.Single(await _rules.RunsAsync(_session));
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _rules.RunLog.PruneAsync(_session.Store, TimeSpan.FromDays(1), CancellationToken.None));
        Assert.Empty(await _rules.RunsAsync(_session));
    }
}
