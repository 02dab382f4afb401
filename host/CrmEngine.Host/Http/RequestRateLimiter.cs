using System.Globalization;
using System.Threading.RateLimiting;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// Token buckets per caller (API key or user) and per tenant, from System.Threading.RateLimiting
/// (what ASP.NET Core's rate limiter runs on). Applied after authentication, because the partition
/// is the credential, not the client address; except for plugins' public endpoints, which anonymous
/// clients call with links and are limited per client address first (<see cref="ChargeAddressAsync"/>).
/// </summary>
public sealed class RequestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _callers;
    private readonly PartitionedRateLimiter<string> _tenants;
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly RefusalPacer _pacer;
    private readonly EndpointLimits _limits;

    public RequestRateLimiter(IOptions<EndpointLimits> options, RefusalPacer pacer)
    {
        _limits = options.Value;
        _pacer = pacer;
        _callers = Create(_limits.PerCaller);
        _tenants = Create(_limits.PerTenant);
        _addresses = Create(_limits.Public.PerAddress);
    }

    /// <summary>The partition a credential's requests share: its API key, or its user for a JWT.</summary>
    public static string CallerOf(CrmPrincipal principal) => principal.KeyId ?? "user:" + principal.UserId;

    /// <summary>Takes operations from the caller's and the tenant's rate limits, or answers 429; sets the usage headers either way.</summary>
    public async Task<bool> ChargeAsync(HttpContext http, string mediaType, CrmPrincipal principal, int operations)
    {
        var decision = Acquire(principal.TenantId, CallerOf(principal), operations);
        http.Response.Headers["RateLimit-Limit"] = decision.Limit.Burst.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            return true;
        }

        await RefuseAsync(http, mediaType, decision);
        return false;
    }

    /// <summary>Takes a request from the client address's limit for public endpoints (the connection's remote address), or answers 429 as JSON.</summary>
    public async Task<bool> ChargeAddressAsync(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = _addresses.AttemptAcquire(address);
        if (lease.IsAcquired)
        {
            return true;
        }

        await RefuseAsync(http, GraphQLHttpHandler.Json, new Decision(false, RetryAfter(lease), "this client address", _limits.Public.PerAddress, 0));
        return false;
    }

    private async Task RefuseAsync(HttpContext http, string mediaType, Decision decision)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        await _pacer.HoldAsync(decision.RetryAfter, http.RequestAborted);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await GraphQLHttpHandler.WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, mediaType, ErrorCodes.RateLimited,
            $"Too many requests for {decision.Exhausted} ({decision.Limit.PermitsPerSecond}/s, bursts of {decision.Limit.Burst}); retry after {seconds} s.");
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
        _addresses.Dispose();
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
