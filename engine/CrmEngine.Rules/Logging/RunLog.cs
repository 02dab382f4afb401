using System.Threading.Channels;
using CrmEngine.Engine;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Logging;

/// <summary>A run log query: newest first.</summary>
public sealed record RunLogQuery(Guid? RuleId = null, string? RuleName = null, Guid? RecordId = null, RuleRunOutcome? Outcome = null, int First = 50);

/// <summary>
/// Records every rule run (rule, version, record, trigger, outcome, error, duration). Entries are
/// queued and written by a background writer on their own connection, because a before-rule runs
/// inside the triggering write's transaction: writing there would lose the entry of exactly the runs
/// that fail (the write rolls back), and on SQLite a second writer would wait for that transaction.
/// Entries still queued when the process dies are lost; the outbox keeps after-rule work itself safe.
/// Old entries are pruned after <see cref="RuleOptions.RunLogRetention"/>.
/// </summary>
public sealed class RunLog : BackgroundService
{
    private static readonly AsyncLocal<bool> Suppressed = new();
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly Channel<(string Tenant, RuleRunRow Row)> _queue;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly TenantRegistry _tenants;
    private readonly TenantCatalog _catalog;
    private readonly IOptions<RuleOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RunLog> _logger;
    private long _dropped;

    public RunLog(TenantRegistry tenants, TenantCatalog catalog, IOptions<RuleOptions> options, TimeProvider time, ILogger<RunLog> logger)
    {
        _time = time;
        _tenants = tenants;
        _catalog = catalog;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<(string, RuleRunRow)>(new BoundedChannelOptions(Math.Max(1, options.Value.RunLogQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = false,
        });
    }

    /// <summary>Entries dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True inside a dry run: runs made there (by rules its writes trigger) are not logged.</summary>
    internal static bool IsSuppressed => Suppressed.Value;

    /// <summary>Suppresses logging for the rest of the calling async flow (dry runs).</summary>
    internal static void Suppress() => Suppressed.Value = true;

    internal void Record(string tenantId, CompiledRule rule, string entity, Guid? recordId, RuleTrigger trigger, RuleRunResult result, CrmEngine.Engine.Errors.CrmError? error = null)
    {
        if (IsSuppressed || result.Outcome == RuleRunOutcome.Skipped)
        {
            return;
        }

        error ??= result.Error ?? (result.Rejections.Count > 0 ? result.Rejections[0] : null);
        var row = new RuleRunRow
        {
            Id = Guid.CreateVersion7(),
            RuleId = rule.Id,
            RuleName = rule.Name,
            Version = rule.Version,
            Entity = entity,
            RecordId = recordId,
            Trigger = trigger.Name(),
            Outcome = OutcomeName(error is not null && result.Outcome == RuleRunOutcome.Succeeded ? RuleRunOutcome.Failed : result.Outcome),
            ErrorCode = error?.Code,
            Error = error?.Message,
            DurationMs = result.Duration.TotalMilliseconds,
            Statements = result.Statements,
            At = _time.UtcNow(),
            Log = result.Logs.Count == 0 ? null : string.Join('\n', result.Logs),
        };
        if (!_queue.Writer.TryWrite((tenantId, row)))
        {
            if (Interlocked.Increment(ref _dropped) % 1000 == 1)
            {
                _logger.LogWarning("The rule run log queue is full; {Dropped} entries were dropped so far.", Dropped);
            }
        }
    }

    public static string OutcomeName(RuleRunOutcome outcome) => outcome switch
    {
        RuleRunOutcome.Skipped => "skipped",
        RuleRunOutcome.Succeeded => "succeeded",
        RuleRunOutcome.Rejected => "rejected",
        RuleRunOutcome.Failed => "failed",
        _ => "limitExceeded",
    };

    /// <summary>Writes everything queued so far. Queries call it first, so a run is visible as soon as it ended.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await WriteQueuedAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async Task<IReadOnlyList<RuleRunRow>> QueryAsync(CrmSession session, RunLogQuery query, CancellationToken cancellationToken)
    {
        RuleService.RequireAdmin(session);
        await FlushAsync(cancellationToken);
        await using var context = session.CreateContext();
        var runs = context.Set<RuleRunRow>().AsQueryable();
        if (query.RuleId is { } ruleId)
        {
            runs = runs.Where(r => r.RuleId == ruleId);
        }

        if (query.RuleName is { } name)
        {
            runs = runs.Where(r => r.RuleName == name);
        }

        if (query.RecordId is { } recordId)
        {
            runs = runs.Where(r => r.RecordId == recordId);
        }

        if (query.Outcome is { } outcome)
        {
            var stored = OutcomeName(outcome);
            runs = runs.Where(r => r.Outcome == stored);
        }

        return await runs.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(Math.Clamp(query.First, 1, 500)).ToListAsync(cancellationToken);
    }

    /// <summary>Deletes run log entries and after-rule markers older than <paramref name="retention"/>.</summary>
    public async Task<int> PruneAsync(TenantStore store, TimeSpan retention, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var cutoff = _time.UtcNow() - retention;
        await using var context = store.CreateContext();
        var runs = await context.Set<RuleRunRow>().Where(r => r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        await context.Set<RuleEventDoneRow>().Where(r => r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        return runs;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPrune = _time.UtcNow() + TimeSpan.FromMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wake.CancelAfter(PruneEvery);
                try
                {
                    await _queue.Reader.WaitToReadAsync(wake.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Woken by the prune timer.
                }

                // Entries are gathered for a moment and written in one transaction: a commit per
                // entry would double the commits of every write that runs a rule.
                await Task.Delay(_options.Value.RunLogWriteDelay, stoppingToken);
                await FlushAsync(stoppingToken);
                if (_time.UtcNow() >= nextPrune)
                {
                    nextPrune = _time.UtcNow() + PruneEvery;
                    foreach (var tenant in await _catalog.ListTenantsAsync(stoppingToken))
                    {
                        await PruneAsync(await _tenants.GetAsync(tenant.Id, stoppingToken), _options.Value.RunLogRetention, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Writing or pruning the rule run log failed; it will try again.");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // What is queued at shutdown is written, not lost.
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "The rule run log could not be written at shutdown.");
        }
    }

    public override void Dispose()
    {
        _writing.Dispose();
        base.Dispose();
    }

    private async Task WriteQueuedAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(string Tenant, RuleRunRow Row)>();
        while (_queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
            if (batch.Count >= 1000)
            {
                await WriteAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        await WriteAsync(batch, cancellationToken);
    }

    private async Task WriteAsync(List<(string Tenant, RuleRunRow Row)> batch, CancellationToken cancellationToken)
    {
        foreach (var tenant in batch.GroupBy(e => e.Tenant))
        {
            try
            {
                var store = await _tenants.GetAsync(tenant.Key, cancellationToken);
                await using var context = store.CreateContext();
                context.Set<RuleRunRow>().AddRange(tenant.Select(e => e.Row));
                await context.SaveChangesAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogError(e, "{Count} rule run log entries of tenant {Tenant} could not be written and were dropped.", tenant.Count(), tenant.Key);
            }
        }
    }
}
