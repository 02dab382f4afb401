using System.Collections.Concurrent;
using System.Diagnostics;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Duplicates.Rules;

/// <summary>A tenant's duplicate rules, by entity, as loaded at <see cref="LoadedAt"/>.</summary>
internal sealed class RuleSet(IReadOnlyList<DuplicateRule> rules, long loadedAt)
{
    private readonly Dictionary<string, IReadOnlyList<DuplicateRule>> _byEntity = rules.GroupBy(r => r.Entity, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => (IReadOnlyList<DuplicateRule>)g.OrderBy(r => r.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

    public long LoadedAt { get; } = loadedAt;

    /// <summary>Every rule of the entity, active or not (inactive rules keep their keys, so switching one on needs no rebuild).</summary>
    public IReadOnlyList<DuplicateRule> For(string entity) => _byEntity.GetValueOrDefault(entity) ?? [];
}

/// <summary>
/// Each tenant's duplicate rules in memory, so a write to an entity without rules costs a dictionary
/// look-up. Dropped when rules change (here at once; on other hosts when the change event arrives,
/// by NOTIFY on PostgreSQL) and in any case after <see cref="DuplicateOptions.RuleCacheRefresh"/>.
/// </summary>
public sealed class DuplicateRuleCache(IOptions<DuplicateOptions> options)
{
    private readonly ConcurrentDictionary<string, RuleSet> _sets = new(StringComparer.Ordinal);

    public void Invalidate(string tenantId) => _sets.TryRemove(tenantId, out _);

    public void InvalidateAll() => _sets.Clear();

    /// <summary>The entity's rules when they are cached and fresh; null when they must be loaded.</summary>
    internal IReadOnlyList<DuplicateRule>? TryGet(string tenantId, string entity) =>
        _sets.TryGetValue(tenantId, out var set) && Stopwatch.GetElapsedTime(set.LoadedAt) < options.Value.RuleCacheRefresh ? set.For(entity) : null;

    internal async Task<IReadOnlyList<DuplicateRule>> GetAsync(TenantStore store, string entity, CancellationToken cancellationToken)
    {
        if (TryGet(store.TenantId, entity) is { } cached)
        {
            return cached;
        }

        var started = Stopwatch.GetTimestamp();
        await using var context = store.CreateContext();
        var rows = await context.Set<DuplicateRuleRow>().AsNoTracking().ToListAsync(cancellationToken);
        var set = new RuleSet(rows.Select(r => DuplicateRule.From(r, options.Value.DefaultCountry)).ToList(), started);
        _sets[store.TenantId] = set;
        return set.For(entity);
    }
}

/// <summary>Drops a tenant's cached rules when they change, here or on another host.</summary>
internal sealed class DuplicateRuleChangeHandler(DuplicateRuleCache cache) : TenantCacheChangeHandler(Kind)
{
    /// <summary>The change event kind of duplicate rules.</summary>
    public const string Kind = "duplicate-rules";

    protected override void Invalidate(string tenantId) => cache.Invalidate(tenantId);

    protected override void InvalidateAll() => cache.InvalidateAll();
}
