using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>
/// Scheduled rules as scheduled work (<see cref="ScheduledWorkService"/> runs them under a lease per
/// rule). Each due tick is claimed by moving the rule's next run time on with a conditional update of
/// its tick counter, so neither two loops in one process nor two hosts on one database run a tick
/// twice. A claimed tick runs the rule on every record its filter chooses, in id order, each in its
/// own transaction, as the system identity; each record's transaction also records it as the tick's
/// progress. A tick whose host died before finishing it (or that paused because the tenant's rules
/// were busy) is resumed by the next holder of the lease after the last record done. Ticks missed
/// while no host ran are not made up: the next one runs once.
/// </summary>
public sealed class RuleScheduler : IScheduledWork
{
    private readonly RuleSetCache _cache;
    private readonly RecordRuleRunner _records;
    private readonly RecordReader _reader;
    private readonly Lazy<ScheduledWorkService> _service;
    private readonly IOptions<RuleOptions> _options;
    private readonly IOptions<CrmEngineOptions> _engineOptions;
    private readonly ILogger<RuleScheduler> _logger;

    internal RuleScheduler(RuleSetCache cache, RecordRuleRunner records, RecordReader reader, Lazy<ScheduledWorkService> service, IOptions<RuleOptions> options, IOptions<CrmEngineOptions> engineOptions, ILogger<RuleScheduler> logger)
    {
        _cache = cache;
        _records = records;
        _reader = reader;
        _service = service;
        _options = options;
        _engineOptions = engineOptions;
        _logger = logger;
    }

    public string Kind => "rule";

    public TimeSpan? PollInterval => _options.Value.SchedulerEnabled ? _options.Value.SchedulerInterval : null;

    /// <summary>Rules poll: a rule's schedule lives in its tenant's store, not known to the process in advance.</summary>
    public DateTime? NextDueAfter(DateTime from) => null;

    /// <summary>
    /// Runs the tenant's scheduled rules that are due at <paramref name="now"/>, and finishes ticks
    /// left unfinished; returns how many ticks this call ran (resumed ones included).
    /// </summary>
    public Task<int> RunDueAsync(string tenantId, DateTime now, CancellationToken cancellationToken) =>
        _service.Value.RunDueAsync(this, tenantId, now, cancellationToken);

    /// <summary>The rows <see cref="CandidatesAsync"/> reads.</summary>
    public DueWorkProbe DueProbe(DateTime now) =>
        DueWorkProbe.Rows("crm_rule", "enabled AND deleted_at IS NULL AND ((next_run_at IS NOT NULL AND next_run_at <= @now) OR running_tick IS NOT NULL)", now);

    public async Task<IReadOnlyList<string>> CandidatesAsync(TenantStore store, DateTime now, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var ids = await context.Set<RuleRow>()
            .Where(r => r.Enabled && r.DeletedAt == null && ((r.NextRunAt != null && r.NextRunAt <= now) || r.RunningTick != null))
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
        return ids.ConvertAll(id => id.ToString());
    }

    /// <summary>The rule's unfinished tick, or a due one claimed by moving the rule to its next run time.</summary>
    public async Task<ScheduledRun?> ClaimAsync(TenantStore store, string item, DateTime now, CancellationToken cancellationToken)
    {
        var ruleId = Guid.Parse(item);
        RuleRow? row;
        await using (var context = store.CreateContext())
        {
            row = await context.Set<RuleRow>().SingleOrDefaultAsync(r => r.Id == ruleId && r.Enabled && r.DeletedAt == null, cancellationToken);
        }

        var info = row is null ? null : await CurrentAsync(store, row, cancellationToken);
        if (row is null || info is null)
        {
            return null;
        }

        if (row.RunningTick is { } unfinished)
        {
            return new ScheduledRun(item, unfinished, now, Resumed: true, row.TickResumeAfter, info);
        }

        return row.NextRunAt <= now && await ClaimTickAsync(store, row, RuleSchedule.Next(info.Definition, now), cancellationToken)
            ? new ScheduledRun(item, row.ScheduleTick + 1, now, Resumed: false, null, info)
            : null;
    }

    public Task<bool> RunAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken) =>
        RunTickAsync(store, Guid.Parse(run.Item), run.Tick, run.ResumeAfter, _cache.Compile((RuleInfo)run.Work!), cancellationToken);

    public async Task FinishAsync(TenantStore store, ScheduledRun run, CancellationToken cancellationToken)
    {
        var ruleId = Guid.Parse(run.Item);
        await using var context = store.CreateContext();
        await context.Set<RuleRow>().Where(r => r.Id == ruleId && r.RunningTick == run.Tick)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RunningTick, (long?)null).SetProperty(r => r.TickResumeAfter, (Guid?)null), cancellationToken);
    }

    /// <summary>Moves the rule to its next run time and marks the tick as running, if nobody claimed it meanwhile.</summary>
    private static async Task<bool> ClaimTickAsync(TenantStore store, RuleRow row, DateTime? next, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var tick = row.ScheduleTick;
        var claimed = await context.Set<RuleRow>()
            .Where(r => r.Id == row.Id && r.ScheduleTick == tick)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ScheduleTick, tick + 1).SetProperty(r => r.NextRunAt, next)
                .SetProperty(r => r.RunningTick, (long?)(tick + 1)).SetProperty(r => r.TickResumeAfter, (Guid?)null), cancellationToken);
        return claimed == 1;
    }

    private static async Task<RuleInfo?> CurrentAsync(TenantStore store, RuleRow row, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var version = await context.Set<RuleVersionRow>().FirstOrDefaultAsync(v => v.RuleId == row.Id && v.Version == row.CurrentVersion, cancellationToken);
        return version is null ? null : RuleStore.Info(row, version);
    }

    /// <summary>Runs the tick on its records; false when it stopped early because the tenant's rules were busy (RULES_BUSY).</summary>
    private async Task<bool> RunTickAsync(TenantStore store, Guid ruleId, long tick, Guid? after, CompiledRule rule, CancellationToken cancellationToken)
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
            return true;
        }

        // Ids come in ascending order (the list's default); a resumed tick skips those already done.
        foreach (var id in ids.Where(id => after is not { } done || CompareIds(id, done) > 0))
        {
            var result = await _records.RunAsync(session, rule, RuleTrigger.Schedule, id, 0, r => Task.FromResult(RecordSnapshot.Stored(r)), null,
                context => context.Set<RuleRow>().Where(r => r.Id == ruleId && r.RunningTick == tick)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.TickResumeAfter, (Guid?)id), cancellationToken),
                cancellationToken);
            if (result.Error?.Code == RuleErrorCodes.Busy)
            {
                _logger.LogInformation("Tick {Tick} of scheduled rule {Rule} of tenant {Tenant} paused: the tenant's rules are busy. The next pass resumes it.", tick, rule.Name, store.TenantId);
                return false;
            }
        }

        return true;
    }

    /// <summary>Orders ids as both stores do: by their bytes, which is the order of their hexadecimal text.</summary>
    private static int CompareIds(Guid a, Guid b) => string.CompareOrdinal(a.ToString("N"), b.ToString("N"));

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
