using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Engine.Scheduling;

/// <summary>
/// Runs every kind of scheduled work (<see cref="IScheduledWork"/>) in every tenant: one loop per
/// kind, waking every <see cref="IScheduledWork.PollInterval"/> of the <see cref="TimeProvider"/>, or
/// sooner when the kind knows its next due time (<see cref="IScheduledWork.NextDueAfter"/>), so a
/// schedule with seconds runs on its second.
/// An item is worked on under the lease <c>kind:tenant:item</c> (<see cref="IWorkLeases"/>), so among
/// several hosts one at a time works on it; under it a run left unfinished by a host that died is
/// resumed first, else the due run is claimed. A run that stops early (the kind says so) keeps its
/// running marker, and the next pass resumes it; one that ended is marked over. Runs missed while no
/// host was up are not made up: the kind's claim collapses them into one.
/// </summary>
public sealed class ScheduledWorkService(
    IEnumerable<IScheduledWork> kinds,
    TenantCatalog catalog,
    TenantRegistry tenants,
    IWorkLeases leases,
    TimeProvider time,
    ILogger<ScheduledWorkService> logger) : BackgroundService
{
    private readonly IScheduledWork[] _kinds = kinds.ToArray();

    /// <summary>Runs the runs of <paramref name="kind"/> due at <paramref name="now"/> in every tenant that has one; returns how many ended.</summary>
    public async Task<int> RunDueAsync(IScheduledWork kind, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var ended = 0;
        foreach (var tenantId in await catalog.TenantsWithDueWorkAsync(kind.DueProbe(now), cancellationToken))
        {
            ended += await RunDueAsync(kind, tenantId, now, cancellationToken);
        }

        return ended;
    }

    /// <summary>
    /// Runs the runs of <paramref name="kind"/> due at <paramref name="now"/> in one tenant, and
    /// finishes runs left unfinished; returns how many ended (resumed ones included).
    /// </summary>
    public async Task<int> RunDueAsync(IScheduledWork kind, string tenantId, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var store = await tenants.GetAsync(tenantId, cancellationToken);
        var ended = 0;
        foreach (var item in await kind.CandidatesAsync(store, now, cancellationToken))
        {
            // Another host (or loop) working on this item has it; it finishes what it started.
            await using var lease = await leases.TryAcquireAsync($"{kind.Kind}:{tenantId}:{item}", cancellationToken);
            if (lease is null || await kind.ClaimAsync(store, item, now, cancellationToken) is not { } run)
            {
                continue;
            }

            if (run.Resumed)
            {
                logger.LogWarning("Resuming a {Kind} run of {Item} in tenant {Tenant}, left unfinished (run {Tick}, due {Due:o}).", kind.Kind, item, tenantId, run.Tick, run.Due);
            }

            if (await kind.RunAsync(store, run, cancellationToken))
            {
                await kind.FinishAsync(store, run, cancellationToken);
                ended++;
            }
        }

        return ended;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_kinds.Where(k => k.PollInterval is not null).Select(k => LoopAsync(k, k.PollInterval!.Value, stoppingToken)));

    private async Task LoopAsync(IScheduledWork kind, TimeSpan interval, CancellationToken stoppingToken)
    {
        // Each kind on its own loop, so a long pass of one never delays the other.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.UtcNow();
            try
            {
                await RunDueAsync(kind, now, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "A pass over the scheduled {Kind} runs failed; the next one tries again.", kind.Kind);
            }

            await Task.Delay(Wait(kind, interval, now), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Until the kind's next due time after the pass that started at <paramref name="passStart"/>, at
    /// most the poll interval. Counted from the pass's start, not its end: a due time that came while
    /// the pass ran is run at once rather than skipped.
    /// </summary>
    private TimeSpan Wait(IScheduledWork kind, TimeSpan interval, DateTime passStart)
    {
        if (kind.NextDueAfter(passStart) is not { } next)
        {
            return interval;
        }

        var wait = next - time.UtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < interval ? wait : interval;
    }
}
