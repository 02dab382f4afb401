using CrmEngine.Rules.Scripting;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Sandbox;

/// <summary>Scripts are parsed once and the prepared program is shared; every run still gets its own engine.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class PreparedScriptTests : IAsyncLifetime
{
    private readonly RulesHarness _rules = new();
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public void The_same_source_is_prepared_once_and_shared()
    {
        var compiler = _rules.Services.GetRequiredService<RuleCompiler>();
        var before = compiler.CachedCount;

        var first = compiler.Script("record.grade = 'A';");
        var second = compiler.Script("record.grade = 'A';");

        Assert.Same(first.Program, second.Program);
        Assert.Equal(before + 1, compiler.CachedCount);
    }

    [Fact]
    public async Task Runs_on_many_threads_at_once_each_see_only_their_own_record()
    {
        await _rules.SaveAsync(_session, "grade", "lead", "let mine = record.score; for (let i = 0; i < 1000; i++) { mine = mine + 0; } record.grade = 'g' + mine;");

        var created = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var session = await _rules.SessionAsync(_session.TenantId, _session.Principal.UserId);
            return (Score: i, Result: await _rules.CreateAsync(session, "lead", new { name = "L" + i, score = (long)i }));
        })));

        Assert.All(created, c => Assert.Equal("g" + c.Score, c.Result.Record!.Get("grade")));
    }

    [Fact]
    public async Task A_tenant_without_rules_is_asked_for_them_once_not_on_every_write()
    {
        var cache = _rules.Services.GetRequiredService<Execution.RuleSetCache>();
        await _rules.CreateAsync(_session, "lead", new { name = "first" });
        var loads = cache.Loads;

        for (var i = 0; i < 5; i++)
        {
            await _rules.CreateAsync(_session, "lead", new { name = "n" + i });
        }

        Assert.Equal(loads, cache.Loads);
    }
}
