using System.Diagnostics;
using CrmEngine.Rules.Definitions;
using CrmEngine.Testing;

namespace CrmEngine.Rules.Tests.Sandbox;

/// <summary>
/// Scripts that try to hang, exhaust or escape the sandbox are each stopped within their limit with
/// RULE_LIMIT_EXCEEDED (or refused outright), the write they were part of leaves nothing behind,
/// and the process is fine afterwards.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class HostileScriptTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Limits = new()
    {
        // Long enough that loops always reach the statement limit first, even on a busy machine;
        // the time limit on its own is tested in LimitConfigurationTests.
        ["Crm:Rules:Limits:Timeout"] = "00:00:03",
        ["Crm:Rules:Limits:MaxStatements"] = "200000",
        ["Crm:Rules:Limits:MaxMemoryBytes"] = "33554432",
        ["Crm:Rules:Limits:MaxRecursionDepth"] = "50",
        ["Crm:Rules:Limits:RegexTimeout"] = "00:00:00.100",
    };

    private readonly RulesHarness _rules = new(Limits);
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Theory]
    [InlineData("while (true) {}", "statement limit")]
    [InlineData("let n = 0; while (true) { n++; }", "statement limit")]
    [InlineData("function down(n) { return down(n + 1) + 1; } down(0);", "recursion limit")]
    [InlineData("let s = 'x'; while (true) { s += s; }", "memory limit")]
    [InlineData("const a = []; while (true) { a.push(new Array(10000).fill('x')); }", "memory limit")]
    [InlineData("const a = new Array(4294967295).fill(1);", "memory limit")]
    [InlineData("/^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!');", "regular-expression time limit")]
    [InlineData("try { while (true) {} } catch (e) { record.grade = 'escaped'; }", "statement limit")]
    [InlineData("const o = { toString() { return String(this); } }; String(o);", "recursion limit")]
    public async Task A_runaway_script_is_stopped_within_its_limit_and_the_write_is_refused(string script, string limit)
    {
        await _rules.SaveAsync(_session, "hostile", "lead", script);

        var watch = Stopwatch.StartNew();
        var refused = await _rules.CreateAsync(_session, "lead", new { name = "A" });
        watch.Stop();

        var error = Assert.Single(refused.Errors);
        Assert.Equal(RuleErrorCodes.LimitExceeded, error.Code);
        Assert.Contains("Rule 'hostile'", error.Message, StringComparison.Ordinal);
        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed}");
        Assert.Empty(await _rules.AllAsync(_session, "lead"));
        Assert.Equal("limitExceeded", Assert.Single(await _rules.RunsAsync(_session, "hostile")).Outcome);
    }

    [Theory]
    [InlineData("'x'.repeat(2 ** 29);")]
    [InlineData("''.padStart(2 ** 29, 'x');")]
    [InlineData("new Array(90000).fill('x'.repeat(1000)).join('');")]
    public async Task Built_ins_that_would_build_a_gigantic_string_in_one_call_are_refused_before_allocating_it(string script)
    {
        await _rules.SaveAsync(_session, "bomb", "lead", script);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Single((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Errors);

        Assert.True(error.Code is RuleErrorCodes.RuleError or RuleErrorCodes.LimitExceeded, error.Message);
        Assert.True(error.Message.Contains("Invalid string length", StringComparison.Ordinal) || error.Message.Contains("memory limit", StringComparison.Ordinal), error.Message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 256L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData("let o = {}; let c = o; for (let i = 0; i < 100000; i++) { c.a = {}; c = c.a; } JSON.stringify(o);")]
    [InlineData("let a = []; for (let i = 0; i < 100000; i++) { a = [a]; } String(a);")]
    [InlineData("let f = function () { return 1; }; for (let i = 0; i < 100000; i++) { f = f.bind(null); } f();")]
    public async Task Deeply_nested_data_walked_by_built_ins_fails_the_rule_instead_of_overflowing_the_stack(string script)
    {
        await _rules.SaveAsync(_session, "deep", "lead", script);

        var error = Assert.Single((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Errors);

        Assert.True(error.Code is RuleErrorCodes.RuleError or RuleErrorCodes.LimitExceeded, error.Code);
        Assert.True((await _rules.CreateAsync(_session, "lead", new { name = "still alive", company = "x" })).Errors.Count == 1);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd');", "System is not defined")]
    [InlineData("importNamespace('System.IO');", "importNamespace is not defined")]
    [InlineData("require('fs');", "require is not defined")]
    [InlineData("eval('while (true) {}');", "eval() and new Function() are not available in rules")]
    [InlineData("Function('return this')();", "eval() and new Function() are not available in rules")]
    [InlineData("(function () {}).constructor('while (true) {}')();", "eval() and new Function() are not available in rules")]
    [InlineData("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10000);", "Atomics.wait cannot be used")]
    [InlineData("undeclared = 1;", "undeclared is not defined")]
    [InlineData("record.constructor.constructor('return process')();", "eval() and new Function() are not available in rules")]
    [InlineData("crm.find.constructor('return 1')();", "eval() and new Function() are not available in rules")]
    public async Task Attempts_to_reach_outside_the_sandbox_fail_with_RULE_ERROR(string script, string message)
    {
        await _rules.SaveAsync(_session, "escape", "lead", script);

        var watch = Stopwatch.StartNew();
        var error = Assert.Single((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Errors);

        Assert.Equal(RuleErrorCodes.RuleError, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.Empty(await _rules.AllAsync(_session, "lead"));
    }

    [Fact]
    public async Task Code_built_at_run_time_can_not_escape_the_limits_even_when_the_refusal_is_caught()
    {
        await _rules.SaveAsync(_session, "sneaky", "lead", """
            let built = null;
            try { built = eval('(function () { while (true) {} })'); } catch (e) { crm.log('eval refused:', e.message); }
            try { built = new Function('while (true) {}'); } catch (e) { crm.log('Function refused:', e.message); }
            if (built) built();
            while (true) {}
            """);

        var error = Assert.Single((await _rules.CreateAsync(_session, "lead", new { name = "A" })).Errors);

        Assert.Equal(RuleErrorCodes.LimitExceeded, error.Code);
        var run = Assert.Single(await _rules.RunsAsync(_session, "sneaky"));
        Assert.Contains("eval refused: eval() and new Function() are not available in rules", run.Log, StringComparison.Ordinal);
        Assert.Contains("Function refused: eval() and new Function() are not available in rules", run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_run_can_not_leave_anything_behind_for_the_next()
    {
        await _rules.SaveAsync(_session, "polluter", "lead", "globalThis.leak = 'secret'; Object.prototype.injected = 1; Array.prototype.push = function () { return 0; };", order: 1);
        await _rules.SaveAsync(_session, "observer", "lead", "record.grade = typeof leak + ',' + ({}).injected + ',' + [1].push(2);", order: 2);

        var created = await _rules.CreateAsync(_session, "lead", new { name = "A" });

        Assert.Equal("undefined,undefined,2", created.Record!.Get("grade"));
    }

    [Fact]
    public async Task The_process_stays_healthy_after_every_kind_of_hostile_run()
    {
        await _rules.SaveAsync(_session, "fine", "lead", "record.grade = 'ok';");

        Assert.Equal("ok", (await _rules.CreateAsync(_session, "lead", new { name = "B" })).Record!.Get("grade"));
    }
}
