using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Scripting;
using CrmEngine.Testing;
using JsEngine = Jint.Engine;

namespace CrmEngine.Rules.Tests.Sandbox;

/// <summary>
/// JavaScript that rules can't use is refused saying what was refused: when the rule is saved if the
/// parser can see it, when the run reaches it otherwise; never as "an internal error occurred".
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class RefusedFeatureTests : IAsyncLifetime
{
    private readonly RulesHarness _rules = new();
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Theory]
    [InlineData("record.grade = 'x';\nimport('fs').then(m => m.readFileSync('/etc/passwd'));", null, "script", 2, 1)]
    [InlineData("record.grade = 'x';", "import('fs') !== null", "condition", 1, 1)]
    [InlineData("const load = async () => { await import('child_process'); };", null, "script", 1, 34)]
    public async Task A_dynamic_import_is_refused_when_the_rule_is_saved_saying_what_and_where(string script, string? condition, string part, int line, int column)
    {
        var result = await _rules.Rules.SaveAsync(_session, null, RulesHarness.Rule("loader", "lead", script, condition), true, CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal((RuleErrorCodes.SyntaxError, part), (error.Code, error.Field));
        Assert.Contains("import() is not available in rules", error.Message, StringComparison.Ordinal);
        Assert.Equal((part, line, column), (result.Syntax!.Part, result.Syntax.Line, result.Syntax.Column));
        Assert.Null(result.Rule);
    }

    [Fact]
    public async Task A_dry_run_of_a_script_with_a_dynamic_import_is_refused_before_it_runs()
    {
        var (result, syntax) = await _rules.Tester.TestAsync(_session, new RuleTestRequest { Entity = "lead", Script = "import('fs');" }, CancellationToken.None);

        Assert.Null(result);
        Assert.Contains("import() is not available in rules", syntax!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dynamic_import_the_parser_did_not_check_is_refused_by_the_engine_when_the_run_reaches_it()
    {
        var limits = new RuleLimits();
        var engine = ScriptSandbox.Create(limits, new RunBudget(limits), CancellationToken.None);

        var refused = Assert.Throws<ScriptRefusedException>(() => engine.Execute(JsEngine.PrepareScript("import('fs');", "script", strict: true)));

        Assert.Contains("import() is not available in rules", refused.Message, StringComparison.Ordinal);
    }
}
