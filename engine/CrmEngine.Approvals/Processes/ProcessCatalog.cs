using System.Collections.Concurrent;
using System.Diagnostics;
using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Loading;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Approvals.Processes;

/// <summary>
/// A tenant's approval processes: the admins' (kept in memory, so a write to an entity without a
/// process costs a dictionary look-up; dropped when they change, here at once and on other hosts by
/// the change event, and at the latest after a minute) and those of the plugins it enables.
/// </summary>
public sealed class ProcessCatalog(IServiceProvider services)
{
    /// <summary>The change event kind of approval processes.</summary>
    public const string ChangeKind = "approval-processes";

    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<ApprovalProcess> Processes, long LoadedAt)> _admins = new(StringComparer.Ordinal);

    public void Invalidate(string tenantId) => _admins.TryRemove(tenantId, out _);

    public void InvalidateAll() => _admins.Clear();

    /// <summary>Every process of the tenant (of one entity, when named), admins' and enabled plugins', active or not, by name.</summary>
    public async Task<IReadOnlyList<ApprovalProcess>> ListAsync(TenantStore store, MetadataSnapshot metadata, string? entity, CancellationToken cancellationToken)
    {
        var all = (await AdminsAsync(store, cancellationToken)).Concat(Declared(metadata));
        return all.Where(p => entity is null || p.Entity == entity).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The active processes' locked fields of an entity when the admins' processes are cached; null when they must be loaded.</summary>
    internal IEnumerable<ApprovalProcess>? TryCached(string tenantId, MetadataSnapshot metadata, string entity) =>
        _admins.TryGetValue(tenantId, out var cached) && Stopwatch.GetElapsedTime(cached.LoadedAt) < Refresh
            ? cached.Processes.Concat(Declared(metadata)).Where(p => p.Active && p.Entity == entity)
            : null;

    private async Task<IReadOnlyList<ApprovalProcess>> AdminsAsync(TenantStore store, CancellationToken cancellationToken)
    {
        if (_admins.TryGetValue(store.TenantId, out var cached) && Stopwatch.GetElapsedTime(cached.LoadedAt) < Refresh)
        {
            return cached.Processes;
        }

        var started = Stopwatch.GetTimestamp();
        await using var context = store.CreateContext();
        var rows = await context.Set<ApprovalProcessRow>().AsNoTracking().ToListAsync(cancellationToken);
        var processes = rows.Select(ApprovalProcess.From).ToList();
        _admins[store.TenantId] = (processes, started);
        return processes;
    }

    /// <summary>The processes of the plugins the tenant enables (that this host runs).</summary>
    private IEnumerable<ApprovalProcess> Declared(MetadataSnapshot metadata)
    {
        if (metadata.Plugins.Count == 0 || services.GetService<PluginCatalog>() is not { } catalog)
        {
            return [];
        }

        var byPlugin = catalog.Derived((typeof(ProcessCatalog), "declared"), c => c.Loaded.ToDictionary(
            p => p.Id, p => p.ApprovalProcesses.Select(d => ApprovalProcess.From(p.Id, d)).ToArray(), StringComparer.Ordinal));
        return metadata.Plugins.SelectMany(p => byPlugin.GetValueOrDefault(p.Id) ?? []);
    }
}

/// <summary>Drops a tenant's cached processes when they change, here or on another host.</summary>
internal sealed class ProcessChangeHandler(ProcessCatalog catalog) : TenantCacheChangeHandler(ProcessCatalog.ChangeKind)
{
    protected override void Invalidate(string tenantId) => catalog.Invalidate(tenantId);

    protected override void InvalidateAll() => catalog.InvalidateAll();
}
