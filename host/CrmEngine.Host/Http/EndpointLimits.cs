namespace CrmEngine.Host.Http;

/// <summary>
/// The guards of the GraphQL endpoint (section Crm:Endpoint): request size, execution time,
/// document shape, introspection, and request rates per API key or user and per tenant.
/// </summary>
public sealed class EndpointLimits
{
    public const string Section = "Crm:Endpoint";

    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxDepth { get; set; } = 20;

    public int MaxComplexity { get; set; } = 250_000;

    public int MaxAliases { get; set; } = 100;

    /// <summary>Turn off to refuse __schema and __type queries (production APIs often do).</summary>
    public bool Introspection { get; set; } = true;

    public RateLimit PerCaller { get; set; } = new() { PermitsPerSecond = 50, Burst = 200 };

    public RateLimit PerTenant { get; set; } = new() { PermitsPerSecond = 200, Burst = 1000 };
}

/// <summary>A token bucket: a steady rate and the burst it tolerates.</summary>
public sealed class RateLimit
{
    public int PermitsPerSecond { get; set; }

    public int Burst { get; set; }
}
