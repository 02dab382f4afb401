using System.Threading.RateLimiting;
using CrmEngine.GraphQL.Execution;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// Caps how many expensive requests one caller (API key or user) and one tenant may have running at
/// once, as Salesforce caps an org's concurrent long-running requests: the rest wait briefly in
/// order, then are refused with 429 and Retry-After. Cheap requests never wait here; the token
/// buckets of <see cref="RequestRateLimiter"/> pace them. What counts as expensive is known before
/// validation: a large body, a document whose validation is large (not yet validated, with many
/// fields or merge comparisons), or a request that can produce many values.
/// </summary>
public sealed class ExpensiveRequestGate : IDisposable
{
    private readonly ExpensiveRequestLimits _limits;
    private readonly PartitionedRateLimiter<string> _callers;
    private readonly PartitionedRateLimiter<string> _tenants;

    public ExpensiveRequestGate(IOptions<EndpointLimits> options)
    {
        _limits = options.Value.Expensive;
        _callers = Create(_limits.PerCaller);
        _tenants = Create(_limits.PerTenant);
    }

    /// <summary>A body this large makes a request expensive before it is parsed.</summary>
    public long BodyBytes => _limits.BodyBytes;

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

            return new Admission(true, null, 0, TimeSpan.Zero, [callerLease, tenantLease]);
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

    /// <summary>Whether a request may run now; holds its slots until disposed.</summary>
    public sealed record Admission(bool Granted, string? Exhausted, int Limit, TimeSpan RetryAfter, IReadOnlyList<RateLimitLease> Leases) : IDisposable
    {
        public static Admission Refused(string exhausted, int limit, TimeSpan retryAfter) => new(false, exhausted, limit, retryAfter, []);

        public void Dispose()
        {
            foreach (var lease in Leases)
            {
                lease.Dispose();
            }
        }
    }
}
