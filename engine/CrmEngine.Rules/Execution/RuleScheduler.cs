using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>
/// Runs scheduled rules. Each due tick is claimed first, by moving the rule's next run time on with
/// a conditional update of its tick counter: whoever's update lands runs the tick, so neither two
/// loops in one process nor two hosts on one database run it twice. A claimed tick runs the rule
/// on every record its filter chooses, each in its own transaction, as the system identity. Ticks
/// missed while no host ran are not made up: the next one runs once.
/// </summary>
public sealed class RuleScheduler : BackgroundService
{
    private readonly TenantCatalog _catalog;
    private readonly TenantRegistry _tenants;
    private readonly RuleSetCache _cache;
    private readonly RecordRuleRunner _records;
    private readonly RecordReader _reader;
    private readonly IOptions<RuleOptions> _options;
    private readonly IOptions<CrmEngineOptions> _engineOptions;
    private readonly ILogger<RuleScheduler> _logger;

    internal RuleScheduler(TenantCatalog catalog, TenantRegistry tenants, RuleSetCache cache, RecordRuleRunner records, RecordReader reader, IOptions<RuleOptions> options, IOptions<CrmEngineOptions> engineOptions, ILogger<RuleScheduler> logger)
    {
        _catalog = catalog;
        _tenants = tenants;
        _cache = cache;
        _records = records;
        _reader = reader;
        _options = options;
        _engineOptions = engineOptions;
        _logger = logger;
    }

    /// <summary>Runs the tenant's scheduled rules that are due at <paramref name="now"/>; returns how many ticks this call ran.</summary>
    public async Task<int> RunDueAsync(string tenantId, DateTime now, CancellationToken cancellationToken)
    {
        var store = await _tenants.GetAsync(tenantId, cancellationToken);
        List<RuleRow> due;
        await using (var context = store.CreateContext())
        {
            due = await context.Set<RuleRow>().Where(r => r.Enabled && r.DeletedAt == null && r.NextRunAt != null && r.NextRunAt <= now).ToListAsync(cancellationToken);
        }

        var ran = 0;
        foreach (var row in due)
        {
            var info = await CurrentAsync(store, row, cancellationToken);
            if (info is null || !await ClaimAsync(store, row, RuleSchedule.Next(info.Definition, now), cancellationToken))
            {
                continue;
            }

            ran++;
            await RunTickAsync(store, _cache.Compile(info), cancellationToken);
        }

        return ran;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Value.SchedulerEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var tenant in await _catalog.ListTenantsAsync(stoppingToken))
                {
                    await RunDueAsync(tenant.Id, Clock.UtcNow(), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "The rule scheduler failed a pass; it will try again.");
            }

            await Task.Delay(_options.Value.SchedulerInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<bool> ClaimAsync(TenantStore store, RuleRow row, DateTime? next, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var tick = row.ScheduleTick;
        var claimed = await context.Set<RuleRow>()
            .Where(r => r.Id == row.Id && r.ScheduleTick == tick)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ScheduleTick, tick + 1).SetProperty(r => r.NextRunAt, next), cancellationToken);
        return claimed == 1;
    }

    private static async Task<RuleInfo?> CurrentAsync(TenantStore store, RuleRow row, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var version = await context.Set<RuleVersionRow>().FirstOrDefaultAsync(v => v.RuleId == row.Id && v.Version == row.CurrentVersion, cancellationToken);
        return version is null ? null : RuleStore.Info(row, version);
    }

    private async Task RunTickAsync(TenantStore store, CompiledRule rule, CancellationToken cancellationToken)
    {
        var session = new CrmSession(store, CrmPrincipal.System(store.TenantId));
        IReadOnlyList<Guid> ids;
        try
        {
            ids = await MatchingAsync(session, rule, cancellationToken);
        }
        catch (Engine.Errors.CrmException e)
        {
            _logger.LogError("Scheduled rule {Rule} of tenant {Tenant} has a filter that no longer works: {Error}", rule.Name, store.TenantId, e.Message);
            return;
        }

        foreach (var id in ids)
        {
            await _records.RunAsync(session, rule, RuleTrigger.Schedule, id, 0, r => Task.FromResult(RecordSnapshot.Stored(r)), null, cancellationToken);
        }
    }

    /// <summary>The records the rule's filter chooses now, a page at a time, up to <see cref="RuleOptions.MaxRecordsPerRun"/>.</summary>
    private async Task<IReadOnlyList<Guid>> MatchingAsync(CrmSession session, CompiledRule rule, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Find(rule.Definition.Entity);
        if (entity is null)
        {
            return [];
        }

        var filter = RuleFilterReader.Read(entity, RuleValidator.ParseFilter(rule.Definition.Filter));
        var ids = new List<Guid>();
        string? after = null;
        while (ids.Count < _options.Value.MaxRecordsPerRun)
        {
            var page = await _reader.ListAsync(session, new RecordQuery(entity.Name) { Filter = filter, First = _engineOptions.Value.MaxPageSize, After = after }, cancellationToken);
            ids.AddRange(page.Edges.Select(e => e.Record.Id).Take(_options.Value.MaxRecordsPerRun - ids.Count));
            if (!page.HasNextPage)
            {
                break;
            }

            after = page.EndCursor;
        }

        return ids;
    }
}
