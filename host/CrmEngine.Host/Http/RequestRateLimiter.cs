using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// Token buckets per caller (API key or user) and per tenant, from System.Threading.RateLimiting
/// (what ASP.NET Core's rate limiter runs on). Applied after authentication, because the partition
/// is the credential, not the client address.
/// </summary>
public sealed class RequestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _callers;
    private readonly PartitionedRateLimiter<string> _tenants;
    private readonly EndpointLimits _limits;

    public RequestRateLimiter(IOptions<EndpointLimits> options)
    {
        _limits = options.Value;
        _callers = Create(_limits.PerCaller);
        _tenants = Create(_limits.PerTenant);
    }

    /// <summary>Takes <paramref name="permits"/> requests from both buckets; a refusal says how long to wait.</summary>
    public Decision Acquire(string tenant, string caller, int permits = 1)
    {
        // A bucket can never hold more than its burst, so a bigger ask is capped at the burst.
        using var callerLease = _callers.AttemptAcquire(caller, Math.Min(permits, Math.Max(1, _limits.PerCaller.Burst)));
        if (!callerLease.IsAcquired)
        {
            return new Decision(false, RetryAfter(callerLease), "this API key or user", _limits.PerCaller, Remaining(_callers, caller));
        }

        using var tenantLease = _tenants.AttemptAcquire(tenant, Math.Min(permits, Math.Max(1, _limits.PerTenant.Burst)));
        if (!tenantLease.IsAcquired)
        {
            return new Decision(false, RetryAfter(tenantLease), "this tenant", _limits.PerTenant, Remaining(_tenants, tenant));
        }

        return new Decision(true, TimeSpan.Zero, null, _limits.PerCaller, Remaining(_callers, caller));
    }

    public void Dispose()
    {
        _callers.Dispose();
        _tenants.Dispose();
    }

    private static long Remaining(PartitionedRateLimiter<string> limiter, string key) => limiter.GetStatistics(key)?.CurrentAvailablePermits ?? 0;

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);

    private static PartitionedRateLimiter<string> Create(RateLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, limit.Burst),
            TokensPerPeriod = Math.Max(1, limit.PermitsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public sealed record Decision(bool Allowed, TimeSpan RetryAfter, string? Exhausted, RateLimit Limit, long Remaining);
}
