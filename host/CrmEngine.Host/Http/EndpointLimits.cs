namespace CrmEngine.Host.Http;

/// <summary>
/// The HTTP guards of the GraphQL endpoint (section Crm:Endpoint): request size, batch size,
/// execution time, and request rates per API key or user and per tenant. The limits on a
/// document's shape share the section: see <see cref="CrmEngine.GraphQL.Execution.Guard.QueryLimits"/>.
/// </summary>
public sealed class EndpointLimits
{
    public const string Section = "Crm:Endpoint";

    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The request's deadline: reading the body, parsing, the guard, validation, execution and writing
    /// the answer all stop when it passes (408 while the body is still arriving, 504 after).
    /// </summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Operations one POST may carry as a JSON array (each also counts against the rate limits).</summary>
    public int MaxBatchSize { get; set; } = 10;

    /// <summary>
    /// How long a 429 is held before it is sent (never longer than its Retry-After), so a caller
    /// retrying at once can't keep the host busy with refusals; zero sends refusals at once.
    /// </summary>
    public TimeSpan RefusalDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Refusals held at once; beyond this many, refusals are sent at once.</summary>
    public int MaxHeldRefusals { get; set; } = 1024;

    public RateLimit PerCaller { get; set; } = new() { PermitsPerSecond = 50, Burst = 200 };

    public RateLimit PerTenant { get; set; } = new() { PermitsPerSecond = 200, Burst = 1000 };

    /// <summary>How many expensive requests may run at once per caller and per tenant, and what counts as expensive.</summary>
    public ExpensiveRequestLimits Expensive { get; set; } = new();

    /// <summary>The guards of plugins' public endpoints (/p/...).</summary>
    public PublicEndpointLimits Public { get; set; } = new();
}

/// <summary>
/// The guards of plugins' public endpoints (section Crm:Endpoint:Public), which anonymous clients
/// reach with signed links: requests per client address (every request, before anything else runs;
/// requests with a key also count against the key's and the tenant's limits), the body's size
/// (413 beyond it) and the time a request may take (504 after it).
/// </summary>
public sealed class PublicEndpointLimits
{
    public RateLimit PerAddress { get; set; } = new() { PermitsPerSecond = 10, Burst = 60 };

    public long MaxBodyBytes { get; set; } = 64 * 1024;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Expensive requests (section Crm:Endpoint:Expensive): at most <see cref="PerCaller"/> run at once
/// for one API key or user and <see cref="PerTenant"/> for one tenant; others wait up to
/// <see cref="MaxWait"/> (at most <see cref="QueueLimit"/> of them in line), then get 429. And the
/// time they hold their slots is budgeted per caller and per tenant (<see cref="CallerTime"/>,
/// <see cref="TenantTime"/>): a key that has spent its share gets 429 until it has earned it back.
/// </summary>
public sealed class ExpensiveRequestLimits
{
    public int PerCaller { get; set; } = 1;

    public int PerTenant { get; set; } = 2;

    public int QueueLimit { get; set; } = 8;

    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time one API key or user may spend in expensive requests: a quarter of a core, after a 2 s burst.</summary>
    public TimeBudget CallerTime { get; set; } = new() { PerSecond = TimeSpan.FromMilliseconds(250), Burst = TimeSpan.FromSeconds(2) };

    /// <summary>Time one tenant may spend in expensive requests, whatever its keys: half a core, after a 4 s burst.</summary>
    public TimeBudget TenantTime { get; set; } = new() { PerSecond = TimeSpan.FromMilliseconds(500), Burst = TimeSpan.FromSeconds(4) };

    /// <summary>A body at least this large makes a request expensive (parsing and validation grow with it).</summary>
    public long BodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// A document not validated before, at least this long: parsing it and walking its shape come
    /// before its validation can be judged, and a key sending many at once would take every core.
    /// Documents the host has validated before (what a client sends again and again) never wait here.
    /// </summary>
    public int DocumentChars { get; set; } = 8 * 1024;

    /// <summary>A document not validated before with at least this many fields (fragments expanded).</summary>
    public int Fields { get; set; } = 200;

    /// <summary>A document not validated before whose merge check compares at least this many pairs.</summary>
    public int MergePairs { get; set; } = 100;

    /// <summary>A request that can produce at least this many values (see QueryLimits.MaxComplexity).</summary>
    public long Complexity { get; set; } = 20_000;
}

/// <summary>A token bucket: a steady rate and the burst it tolerates.</summary>
public sealed class RateLimit
{
    public int PermitsPerSecond { get; set; }

    public int Burst { get; set; }
}
