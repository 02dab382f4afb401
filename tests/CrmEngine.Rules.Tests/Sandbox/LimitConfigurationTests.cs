using System.Diagnostics;
using CrmEngine.Rules.Definitions;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Tests.Sandbox;

/// <summary>Operators set the limits in configuration, with overrides per tenant; the time limit holds on its own.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class LimitConfigurationTests : IAsyncLifetime
{
    private readonly RulesHarness _rules = new(new Dictionary<string, string?>
    {
        ["Crm:Rules:Limits:Timeout"] = "00:00:00.300",
        ["Crm:Rules:Limits:MaxStatements"] = "2000000000",
        ["Crm:Rules:Tenants:generous:Timeout"] = "00:00:03",
        ["Crm:Rules:Tenants:generous:MaxStatements"] = "1000",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task A_loop_the_statement_limit_would_allow_is_stopped_by_the_time_limit()
    {
        var session = await _rules.NewTenantAsync(Lead());
        await _rules.SaveAsync(session, "spin", "lead", "while (true) {}");

        var watch = Stopwatch.StartNew();
        var error = Assert.Single((await _rules.CreateAsync(session, "lead", new { name = "A" })).Errors);
        watch.Stop();

        Assert.Equal(RuleErrorCodes.LimitExceeded, error.Code);
        Assert.Contains("time limit of 300 ms", error.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_tenant_override_replaces_only_the_limits_it_names()
    {
        var session = await _rules.NewTenantAsync("generous", Lead());
        await _rules.SaveAsync(session, "spin", "lead", "while (true) {}");
        var limits = _rules.Services.GetRequiredService<IOptions<RuleOptions>>().Value;

        var error = Assert.Single((await _rules.CreateAsync(session, "lead", new { name = "A" })).Errors);

        Assert.Contains("statement limit of 1,000 statements", error.Message, StringComparison.Ordinal);
        Assert.Equal((TimeSpan.FromSeconds(3), 1000, limits.Limits.MaxMemoryBytes), (limits.LimitsFor("generous").Timeout, limits.LimitsFor("generous").MaxStatements, limits.LimitsFor("generous").MaxMemoryBytes));
        Assert.Equal(TimeSpan.FromMilliseconds(300), limits.LimitsFor("other").Timeout);
    }
}
