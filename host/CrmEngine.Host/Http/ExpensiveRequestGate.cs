using System.Threading.RateLimiting;
using CrmEngine.GraphQL.Execution;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// Caps how many expensive requests one caller (API key or user) and one tenant may have running at
/// once, as Salesforce caps an org's concurrent long-running requests: the rest wait briefly in
/// order, then are refused with 429 and Retry-After. Cheap requests never wait here; the token
/// buckets of <see cref="RequestRateLimiter"/> pace them. What counts as expensive is known before
/// validation: a large body, a large document not validated before, a document whose validation is large (not yet validated, with many
/// fields or merge comparisons), or a request that can produce many values. The time admitted
/// requests hold their slots is charged to the caller's and the tenant's <see cref="ExpensiveTimeBudget"/>,
/// so a key sending worst-case documents back to back gets a bounded share of the host, not a core.
/// </summary>
public sealed class ExpensiveRequestGate : IDisposable
{
    private readonly ExpensiveRequestLimits _limits;
    private readonly PartitionedRateLimiter<string> _callers;
    private readonly PartitionedRateLimiter<string> _tenants;
    private readonly ExpensiveTimeBudget _callerTime;
    private readonly ExpensiveTimeBudget _tenantTime;
    private readonly TimeProvider _time;

    public ExpensiveRequestGate(IOptions<EndpointLimits> options, TimeProvider time)
    {
        _limits = options.Value.Expensive;
        _time = time;
        _callers = Create(_limits.PerCaller);
        _tenants = Create(_limits.PerTenant);
        _callerTime = new ExpensiveTimeBudget(_limits.CallerTime, time);
        _tenantTime = new ExpensiveTimeBudget(_limits.TenantTime, time);
    }

    /// <summary>A body this large makes a request expensive before it is parsed.</summary>
    public long BodyBytes => _limits.BodyBytes;

    /// <summary>A document this long, not validated before, makes a request expensive before it is parsed.</summary>
    public int DocumentChars => _limits.DocumentChars;

    /// <summary>Whether running these operations is expensive (validation or execution), known once they are prepared.</summary>
    public bool IsExpensive(IEnumerable<PreparedRequest> operations) =>
        operations.Any(o => o.Refusal is null && (o.Complexity >= _limits.Complexity
            || (!o.Cached && (o.Shape.Fields >= _limits.Fields || o.Shape.MergePairs >= _limits.MergePairs))));

    /// <summary>
    /// A slot for the caller and the tenant, waiting at most <see cref="ExpensiveRequestLimits.MaxWait"/>;
    /// an admission that was not granted says when to retry. Dispose it when the request ends.
    /// </summary>
    public async Task<Admission> EnterAsync(string tenant, string caller, CancellationToken cancellationToken)
    {
        if (Spent(tenant, caller) is { } spent)
        {
            return spent;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_limits.MaxWait);
        RateLimitLease? callerLease = null;
        try
        {
            callerLease = await _callers.AcquireAsync(caller, 1, wait.Token);
            if (!callerLease.IsAcquired)
            {
                callerLease.Dispose();
                return Admission.Refused("this API key or user", _limits.PerCaller, _limits.MaxWait);
            }

            var tenantLease = await _tenants.AcquireAsync(tenant, 1, wait.Token);
            if (!tenantLease.IsAcquired)
            {
                tenantLease.Dispose();
                callerLease.Dispose();
                return Admission.Refused("this tenant", _limits.PerTenant, _limits.MaxWait);
            }

            var started = _time.GetTimestamp();
            return new Admission(true, null, TimeSpan.Zero, [callerLease, tenantLease], () =>
            {
                var spent = _time.GetElapsedTime(started);
                _callerTime.Charge(caller, spent);
                _tenantTime.Charge(tenant, spent);
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            callerLease?.Dispose();
            var full = callerLease is null ? ("this API key or user", _limits.PerCaller) : ("this tenant", _limits.PerTenant);
            return Admission.Refused(full.Item1, full.Item2, _limits.MaxWait);
        }
        catch
        {
            callerLease?.Dispose();
            throw;
        }
    }

    /// <summary>The refusal for a caller or tenant whose expensive time is spent, or null while it has time left.</summary>
    public Admission? Spent(string tenant, string caller) =>
        _callerTime.Overdrawn(caller) is { } callerWait ? Admission.Spent("this API key or user", _limits.CallerTime, callerWait)
        : _tenantTime.Overdrawn(tenant) is { } tenantWait ? Admission.Spent("this tenant", _limits.TenantTime, tenantWait)
        : null;

    /// <summary>
    /// Runs the preparation of a request (parse and guard) and, when it ends in a refusal, charges the
    /// time it took to the caller's and the tenant's budgets: a document the guard refuses costs the
    /// host its parse and count all the same, so a key sending such documents back to back spends its
    /// share of the host on them like on expensive ones.
    /// </summary>
    public T Prepare<T>(string tenant, string caller, Func<T> prepare, Func<T, bool> refused)
    {
        var started = _time.GetTimestamp();
        var prepared = prepare();
        if (refused(prepared))
        {
            var spent = _time.GetElapsedTime(started);
            _callerTime.Charge(caller, spent);
            _tenantTime.Charge(tenant, spent);
        }

        return prepared;
    }

    public void Dispose()
    {
        _callers.Dispose();
        _tenants.Dispose();
    }

    private PartitionedRateLimiter<string> Create(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            QueueLimit = Math.Max(0, _limits.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));

    /// <summary>
    /// Whether a request may run now (if not, why, for the 429's message); holds its slots until
    /// disposed, and then charges the time it held them.
    /// </summary>
    public sealed record Admission(bool Granted, string? Refusal, TimeSpan RetryAfter, IReadOnlyList<RateLimitLease> Leases, Action? Release = null) : IDisposable
    {
        private int _disposed;

        public static Admission Refused(string exhausted, int limit, TimeSpan retryAfter) =>
            new(false, $"Too many expensive requests are running for {exhausted} (at most {limit} at once)", retryAfter, []);

        public static Admission Spent(string exhausted, TimeBudget budget, TimeSpan retryAfter) =>
            new(false, $"Expensive requests of {exhausted} have used their time (at most {budget.PerSecond.TotalSeconds:0.###} s per second after a {budget.Burst.TotalSeconds:0.###} s burst)", retryAfter, []);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            foreach (var lease in Leases)
            {
                lease.Dispose();
            }

            Release?.Invoke();
        }
    }
}
