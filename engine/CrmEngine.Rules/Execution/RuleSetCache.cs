using System.Collections.Concurrent;
using System.Diagnostics;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Acornima.Ast;
using Jint;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>A tenant's enabled rules, compiled, by entity and trigger.</summary>
internal sealed class RuleSet
{
    private readonly Dictionary<(string Entity, RuleTrigger Trigger), IReadOnlyList<CompiledRule>> _byTrigger;

    public RuleSet(IReadOnlyList<CompiledRule> rules, long loadedAt)
    {
        Rules = rules;
        LoadedAt = loadedAt;
        _byTrigger = rules
            .SelectMany(r => r.Definition.Triggers.Select(t => (Key: (r.Definition.Entity, t), Rule: r)))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CompiledRule>)g.Select(x => x.Rule).OrderBy(r => r.Definition.Order).ThenBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    public IReadOnlyList<CompiledRule> Rules { get; }

    /// <summary>Stopwatch timestamp of the load.</summary>
    public long LoadedAt { get; }

    public IReadOnlyList<CompiledRule> For(string entity, RuleTrigger trigger) => _byTrigger.GetValueOrDefault((entity, trigger)) ?? [];

    public bool Has(string entity, RuleTrigger trigger) => _byTrigger.ContainsKey((entity, trigger));
}

/// <summary>
/// Keeps each tenant's enabled rules in memory so a write with no rules costs a dictionary look-up.
/// Changes invalidate it through change events (<see cref="RuleChangeHandler"/>): at once for
/// changes made here, as soon as the event arrives for changes made by another host (on
/// PostgreSQL, by NOTIFY), and in any case within <see cref="RuleOptions.RuleCacheRefresh"/>.
/// </summary>
public sealed class RuleSetCache
{
    private readonly ConcurrentDictionary<string, RuleSet> _sets = new(StringComparer.Ordinal);
    private readonly RuleCompiler _compiler;
    private readonly IOptions<RuleOptions> _options;

    internal RuleSetCache(RuleCompiler compiler, IOptions<RuleOptions> options)
    {
        _compiler = compiler;
        _options = options;
    }

    private int _loads;

    /// <summary>How many times rule sets were read from a store (for tests and diagnostics).</summary>
    public int Loads => _loads;

    public void Invalidate(string tenantId) => _sets.TryRemove(tenantId, out _);

    public void InvalidateAll() => _sets.Clear();

    internal bool TryGetFresh(string tenantId, out RuleSet set) =>
        _sets.TryGetValue(tenantId, out set!) && Stopwatch.GetElapsedTime(set.LoadedAt) < _options.Value.RuleCacheRefresh;

    internal async Task<RuleSet> GetAsync(TenantStore store, CancellationToken cancellationToken)
    {
        if (TryGetFresh(store.TenantId, out var fresh))
        {
            return fresh;
        }

        var loaded = await LoadAsync(store, cancellationToken);
        _sets[store.TenantId] = loaded;
        return loaded;
    }

    private async Task<RuleSet> LoadAsync(TenantStore store, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var context = store.CreateContext();
        var infos = await RuleStore.ListAsync(context, context.Set<RuleRow>().Where(r => r.Enabled && r.DeletedAt == null), cancellationToken);
        Interlocked.Increment(ref _loads);
        return new RuleSet(infos.Select(Compile).ToList(), started);
    }

    internal CompiledRule Compile(RuleInfo rule) => Compile(rule.Id, rule.Version, rule.Definition);

    /// <summary>A rule ready to run. A script that no longer parses (saved by an older engine) fails each run with RULE_ERROR.</summary>
    internal CompiledRule Compile(Guid? id, long version, RuleDefinition definition)
    {
        try
        {
            var condition = string.IsNullOrWhiteSpace(definition.Condition) ? (Prepared<Script>?)null : _compiler.Condition(definition.Condition);
            return new CompiledRule(id, version, definition, _compiler.Script(definition.Script), condition);
        }
        catch (ScriptSyntaxException e)
        {
            return new CompiledRule(id, version, definition, _compiler.Script($"throw new SyntaxError({System.Text.Json.JsonSerializer.Serialize(e.Error.Message)});"), null);
        }
    }
}

/// <summary>Drops a tenant's cached rule set when its rules change, here or on another host.</summary>
internal sealed class RuleChangeHandler(RuleSetCache cache) : TenantCacheChangeHandler(ChangeKinds.Rules)
{
    protected override void Invalidate(string tenantId) => cache.Invalidate(tenantId);

    protected override void InvalidateAll() => cache.InvalidateAll();
}
