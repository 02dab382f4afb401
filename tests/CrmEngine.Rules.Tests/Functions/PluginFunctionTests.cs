using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Functions;

/// <summary>Functions plugins offer appear to scripts under crm.plugins, with plain values in and out and typed errors.</summary>
public sealed class PluginFunctionTests : IAsyncLifetime
{
    private readonly ScoringPlugin _plugin = new();
    private readonly RulesHarness _rules;
    private CrmSession _session = null!;

    public PluginFunctionTests() => _rules = new RulesHarness(configure: s => s.AddSingleton<IRuleFunctionProvider>(_plugin));

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task A_rule_calls_a_plugin_function_with_plain_values_and_gets_a_plain_value_back()
    {
        await _rules.SaveAsync(_session, "score", "lead", "const r = crm.plugins.scoring.score({ company: record.company, budget: record.budget.amount }, ['vip']); record.score = r.score; record.grade = r.tags.join('|');");

        var created = await _rules.CreateAsync(_session, "lead", new { name = "A", company = "华为", budget = 500000m });

        Assert.True(created.Succeeded, string.Join(";", created.Errors.Select(e => e.Message)));
        Assert.Equal((90L, "vip|big"), (created.Record!.Get("score"), created.Record.Get("grade")));
        var call = Assert.Single(_plugin.Calls);
        Assert.Equal(("score", "lead", _session.Principal.UserId, false), (call.Context.RuleName, call.Context.Entity, call.Context.TriggeredBy, call.Context.IsDryRun));
        Assert.Equal("华为", ((IReadOnlyDictionary<string, object?>)call.Arguments[0]!)["company"]);
    }

    [Fact]
    public async Task A_plugin_refusal_reaches_the_script_as_a_catchable_error_with_its_code()
    {
        await _rules.SaveAsync(_session, "caught", "lead", "try { crm.plugins.scoring.refuse(); } catch (e) { record.grade = e.code + ':' + e.message; }");
        await _rules.SaveAsync(_session, "uncaught", "lead", "crm.plugins.scoring.crash();", triggers: [RuleTrigger.BeforeUpdate]);

        var created = (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!;
        var refused = await _rules.UpdateAsync(_session, "lead", created.Id, new { name = "B" });

        Assert.Equal("REJECTED:crm.plugins.scoring.refuse was refused: 不符合评分条件", created.Get("grade"));
        var error = Assert.Single(refused.Errors);
        Assert.Equal(ErrorCodes.PluginError, error.Code);
        Assert.Contains("crm.plugins.scoring.crash failed: boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_can_hide_its_functions_from_tenants_that_do_not_have_it()
    {
        _plugin.Enabled = false;
        await _rules.SaveAsync(_session, "probe", "lead", "record.grade = typeof crm.plugins.scoring;");

        Assert.Equal("undefined", (await _rules.CreateAsync(_session, "lead", new { name = "A" })).Record!.Get("grade"));
    }

    private sealed class ScoringPlugin : IRuleFunctionProvider
    {
        public List<RuleFunctionCall> Calls { get; } = [];

        public bool Enabled { get; set; } = true;

        public string Name => "scoring";

        public IReadOnlyList<RuleFunction> Functions =>
        [
            new("score", "Scores a lead.", (call, _) =>
            {
                Calls.Add(call);
                var lead = (IReadOnlyDictionary<string, object?>)call.Arguments[0]!;
                var tags = ((IEnumerable<object?>)call.Arguments[1]!).Cast<string>().ToList();
                if (lead["budget"] is long budget && budget >= 100000)
                {
                    tags.Add("big");
                }

                return Task.FromResult<object?>(new Dictionary<string, object?> { ["score"] = 90, ["tags"] = tags });
            }),
            new("refuse", "Always refuses.", (_, _) => throw new CrmException(ErrorCodes.Rejected, "不符合评分条件")),
            new("crash", "Always crashes.", (_, _) => throw new InvalidOperationException("boom")),
        ];

        public bool IsAvailableTo(CrmSession session) => Enabled;
    }
}
