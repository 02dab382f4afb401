using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Logging;
using CrmEngine.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Support;

/// <summary>
/// The engine and rules over a throwaway store (see <see cref="EngineServices"/>), without HTTP
/// and without background services: tests drive the outbox, the scheduler and the run log
/// themselves. Harnesses given one <see cref="TestStore"/> are like hosts sharing one database:
/// each has its own services, caches, leases and change feed.
/// </summary>
public sealed class RulesHarness : EngineServices
{
    /// <param name="settings">Rule settings.</param>
    /// <param name="configure">Services on top of the engine's and the rules'.</param>
    /// <param name="store">A store shared with other harnesses (the caller disposes it); a new one otherwise.</param>
    public RulesHarness(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, TestStore? store = null)
        : base(store, services =>
        {
            services.AddCrmRules(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
            configure?.Invoke(services);
        })
    {
    }

    public RuleService Rules => Services.GetRequiredService<RuleService>();

    public RunLog RunLog => Services.GetRequiredService<RunLog>();

    public RuleScheduler Scheduler => Services.GetRequiredService<RuleScheduler>();

    public RuleTester Tester => Services.GetRequiredService<RuleTester>();

    public ManualRuns Manual => Services.GetRequiredService<ManualRuns>();

    public Task<CrmSession> NewTenantAsync(params EntityDefinition[] entities) => NewTenantAsync("t" + Guid.NewGuid().ToString("N")[..12], entities);

    public async Task<CrmSession> NewTenantAsync(string id, params EntityDefinition[] entities)
    {
        await Catalog.CreateTenantAsync(id, id, CancellationToken.None);
        var session = await SessionAsync(id);
        foreach (var entity in entities)
        {
            await Metadata.CreateEntityAsync(session.Store, entity, session.Principal.UserId, CancellationToken.None);
        }

        return await SessionAsync(id, session.Principal.UserId);
    }

    /// <summary>Saves an enabled rule and returns it; fails the test on any error.</summary>
    public async Task<RuleInfo> SaveAsync(CrmSession session, string name, string entity, string script, string? condition = null, RuleTrigger[]? triggers = null, string? schedule = null, string? filter = null, int order = 0)
    {
        var result = await Rules.SaveAsync(session, null, Rule(name, entity, script, condition, triggers, schedule, filter, order), true, CancellationToken.None);
        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors.Select(e => $"{e.Code} {e.Field}: {e.Message}")));
        return result.Rule!;
    }

    public static RuleDefinition Rule(string name, string entity, string script, string? condition = null, RuleTrigger[]? triggers = null, string? schedule = null, string? filter = null, int order = 0) => new()
    {
        Name = name,
        Entity = entity,
        Triggers = triggers ?? [RuleTrigger.BeforeCreate],
        Script = script,
        Condition = condition,
        Schedule = schedule,
        Filter = filter,
        Order = order,
    };

    public Task<WriteResult> CreateAsync(CrmSession session, string entity, object values) =>
        Pipeline.CreateAsync(session, entity, Values(values), CancellationToken.None);

    public Task<WriteResult> UpdateAsync(CrmSession session, string entity, Guid id, object values) =>
        Pipeline.UpdateAsync(session, entity, id, null, Values(values), CancellationToken.None);

    public Task<RecordData?> GetAsync(CrmSession session, string entity, Guid id) => Reader.GetAsync(session, entity, id, includeDeleted: true, CancellationToken.None);

    public async Task<IReadOnlyList<RecordData>> AllAsync(CrmSession session, string entity) =>
        (await Reader.ListAsync(session, new RecordQuery(entity) { First = 500 }, CancellationToken.None)).Edges.Select(e => e.Record).ToList();

    public async Task<IReadOnlyList<Storage.RuleRunRow>> RunsAsync(CrmSession session, string? rule = null) =>
        await RunLog.QueryAsync(session, new RunLogQuery(RuleName: rule, First: 500), CancellationToken.None);

    public Task DrainOutboxAsync(CrmSession session) => Outbox.DrainAsync(session.TenantId, CancellationToken.None);

    public static Dictionary<string, object?> Values(object values) =>
        values as Dictionary<string, object?> ?? values.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(values));
}
