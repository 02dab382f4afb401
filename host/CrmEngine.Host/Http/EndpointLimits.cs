namespace CrmEngine.Host.Http;

/// <summary>
/// The HTTP guards of the GraphQL endpoint (section Crm:Endpoint): request size, batch size,
/// execution time, and request rates per API key or user and per tenant. The limits on a
/// document's shape share the section: see <see cref="CrmEngine.GraphQL.Execution.QueryLimits"/>.
/// </summary>
public sealed class EndpointLimits
{
    public const string Section = "Crm:Endpoint";

    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Operations one POST may carry as a JSON array (each also counts against the rate limits).</summary>
    public int MaxBatchSize { get; set; } = 10;

    public RateLimit PerCaller { get; set; } = new() { PermitsPerSecond = 50, Burst = 200 };

    public RateLimit PerTenant { get; set; } = new() { PermitsPerSecond = 200, Burst = 1000 };
}

/// <summary>A token bucket: a steady rate and the burst it tolerates.</summary>
public sealed class RateLimit
{
    public int PermitsPerSecond { get; set; }

    public int Burst { get; set; }
}
