using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>
/// The places rule runs take on this host: <see cref="RuleOptions.MaxConcurrentRunsPerTenant"/> per
/// tenant, and <see cref="RuleOptions.MaxConcurrentRuns"/> for all tenants together. A run holds a
/// place of each kind for as long as it runs; when either kind is all taken it waits in line (at
/// most <see cref="RuleOptions.MaxQueuedRunsPerTenant"/> of a tenant's runs long, no longer than it
/// is given) and is otherwise turned away. A tenant whose callers keep triggering expensive rules
/// thus uses at most its share of the host, and its surplus callers hear so quickly instead of
/// piling up.
/// A script is synchronous work of up to its time limit on a thread-pool thread (Jint can't yield),
/// and the pool adds threads only slowly once its minimum is busy: measured on PostgreSQL with 2
/// cores, eight callers triggering a rule that spends its whole time limit took another tenant's
/// read p99 from 14 ms to 720 ms. So the pool's minimum is raised by the host's places: however many
/// runs hold threads, the pool starts threads for requests at once. (Running scripts on threads of
/// their own was measured too: the hop to and from such a thread cost a 1-rule create up to 6 ms on
/// a loaded machine, against 0.3 ms inline.)
/// </summary>
internal sealed class RunPlaces
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);
    private static readonly Lock PoolLock = new();
    private static int _poolReserve;

    private readonly ConcurrentDictionary<string, Places> _tenants = new(StringComparer.Ordinal);
    private readonly Places _host;
    private readonly int _maxQueued;
    private readonly ILogger<RunPlaces> _logger;

    public RunPlaces(IOptions<RuleOptions> options, ILogger<RunPlaces> logger)
    {
        PerTenant = Math.Max(1, options.Value.MaxConcurrentRunsPerTenant);
        Host = Math.Max(1, options.Value.MaxConcurrentRuns);
        _host = new Places(Host);
        _maxQueued = Math.Max(0, options.Value.MaxQueuedRunsPerTenant);
        _logger = logger;
        ReservePoolThreads(Host);
    }

    /// <summary>Each tenant's places on this host.</summary>
    public int PerTenant { get; }

    /// <summary>The host's places, for all tenants together.</summary>
    public int Host { get; }

    /// <summary>
    /// A tenant's place and a host place for one run (dispose it when the run ends), or why none
    /// came free within <paramref name="wait"/>.
    /// </summary>
    public async ValueTask<(Place? Place, Refusal Refusal)> EnterAsync(string tenantId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var tenant = _tenants.GetOrAdd(tenantId, _ => new Places(PerTenant));
        if (!await EnterAsync(tenant, wait, _maxQueued, cancellationToken))
        {
            WarnNowAndThen(tenantId, tenant, "its places on this host are taken");
            return (null, Refusal.TenantBusy);
        }

        // Its line needs no length of its own: only runs holding a tenant's place stand in it.
        var left = wait - Stopwatch.GetElapsedTime(started);
        if (!await EnterAsync(_host, left, int.MaxValue, cancellationToken))
        {
            tenant.Free.Release();
            WarnNowAndThen(tenantId, tenant, "the host's places for all tenants are taken");
            return (null, Refusal.HostBusy);
        }

        return (new Place(tenant, _host), Refusal.None);
    }

    /// <summary>Raises the pool's minimum by the host's places, once per process (several engines in one process reserve the most any asks for).</summary>
    private static void ReservePoolThreads(int places)
    {
        lock (PoolLock)
        {
            if (places <= _poolReserve)
            {
                return;
            }

            ThreadPool.GetMinThreads(out var workers, out var io);
            if (ThreadPool.SetMinThreads(workers + places - _poolReserve, io))
            {
                _poolReserve = places;
            }
        }
    }

    private static async ValueTask<bool> EnterAsync(Places places, TimeSpan wait, int maxQueued, CancellationToken cancellationToken)
    {
        if (places.Free.Wait(0, CancellationToken.None))
        {
            return true;
        }

        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            return Interlocked.Increment(ref places.Waiting) <= maxQueued && await places.Free.WaitAsync(wait, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref places.Waiting);
        }
    }

    /// <summary>Once a minute at most per tenant, so a flood of refusals doesn't become a flood of log lines.</summary>
    private void WarnNowAndThen(string tenantId, Places tenant, string why)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref tenant.LastWarning);
        if ((last == 0 || Stopwatch.GetElapsedTime(last, now) >= WarningInterval) && Interlocked.CompareExchange(ref tenant.LastWarning, now, last) == last)
        {
            _logger.LogWarning("Rule runs of tenant {Tenant} are being refused with RULES_BUSY: {Why} ({PerTenant} per tenant, {Host} for the host).", tenantId, why, PerTenant, Host);
        }
    }

    /// <summary>Why no place was given.</summary>
    internal enum Refusal
    {
        None,
        TenantBusy,
        HostBusy,
    }

    /// <summary>A set of places and its line.</summary>
    // The semaphore's wait handle is never created (only Wait(0) and WaitAsync), so there is nothing to dispose.
#pragma warning disable CA1001
    internal sealed class Places(int count)
#pragma warning restore CA1001
    {
        public readonly SemaphoreSlim Free = new(count, count);
        public int Waiting;
        public long LastWarning;
    }

    /// <summary>A tenant's place and a host place; disposing it (once) frees both.</summary>
    internal sealed class Place(Places tenant, Places host) : IDisposable
    {
        private Places? _tenant = tenant;
        private Places? _host = host;

        public void Dispose()
        {
            Interlocked.Exchange(ref _tenant, null)?.Free.Release();
            Interlocked.Exchange(ref _host, null)?.Free.Release();
        }
    }
}
