namespace CrmEngine.Rules;

/// <summary>
/// Rule settings, bound from "Crm:Rules" (for example <c>Crm__Rules__Limits__Timeout=00:00:02</c>).
/// Limits apply to every run; operators may override them per tenant under
/// <c>Crm:Rules:Tenants:&lt;tenant id&gt;</c>. Tenants themselves can't change them.
/// </summary>
public sealed class RuleOptions
{
    public const string Section = "Crm:Rules";

    /// <summary>The limits every run gets unless its tenant has an override.</summary>
    public RuleLimits Limits { get; set; } = new();

    /// <summary>Per-tenant overrides of single limits, by tenant id; unset values keep the defaults.</summary>
    public Dictionary<string, RuleLimitOverrides> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long run log entries (and after-rule markers) are kept.</summary>
    public TimeSpan RunLogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the scheduler looks for due scheduled rules; cron resolution is one minute.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Set false to run no scheduled rules in this process (another host runs them).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>The most records one scheduled tick or one runRule call handles.</summary>
    public int MaxRecordsPerRun { get; set; } = 10_000;

    /// <summary>How long a process trusts its cached rule set before checking the store again (other hosts may have changed it).</summary>
    public TimeSpan RuleCacheRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the run log writer gathers entries before writing them in one transaction. Queries of the run log write what is queued first.</summary>
    public TimeSpan RunLogWriteDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Run log entries waiting to be written; beyond this, entries are dropped and a warning is logged.</summary>
    public int RunLogQueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// How many rule runs of one tenant may go at once on this host (dry runs included); the
    /// tenant's further runs wait in line. Default: half the cores, at least one. Runs started by
    /// a run (a script's writes triggering other rules) belong to it and don't take places of their own.
    /// </summary>
    public int MaxConcurrentRunsPerTenant { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How many of one tenant's runs may wait for a place; beyond it, a run is refused at once with RULES_BUSY.</summary>
    public int MaxQueuedRunsPerTenant { get; set; } = 64;

    /// <summary>How long a run may wait for its places (its tenant's and the host's) before it is refused with RULES_BUSY.</summary>
    public TimeSpan RunQueueTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many rule runs of all tenants together may go at once on this host (each holds a thread-pool
    /// thread, so the pool's minimum is raised by this much). Default: twice the cores, at least four,
    /// so one tenant's places never take them all.
    /// </summary>
    public int MaxConcurrentRuns { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>The effective limits for a tenant.</summary>
    public RuleLimits LimitsFor(string tenantId) =>
        Tenants.TryGetValue(tenantId, out var overrides) ? overrides.ApplyTo(Limits) : Limits;
}

/// <summary>What one rule run may use. A run that goes past any of them is stopped with RULE_LIMIT_EXCEEDED.</summary>
public sealed record RuleLimits
{
    /// <summary>Wall-clock time for the condition and the script together, including the records they read and write.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>JavaScript statements executed.</summary>
    public int MaxStatements { get; init; } = 1_000_000;

    /// <summary>Bytes the run may allocate (Jint measures allocation on the running thread).</summary>
    public long MaxMemoryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How deep JavaScript function calls may nest.</summary>
    public int MaxRecursionDepth { get; init; } = 64;

    /// <summary>Time one regular-expression match may take.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Elements one JavaScript array may hold.</summary>
    public int MaxArrayLength { get; init; } = 100_000;

    /// <summary>crm.log lines kept per run (each cut to 2,000 characters).</summary>
    public int MaxLogLines { get; init; } = 100;
}

/// <summary>Per-tenant limit overrides; null keeps the default.</summary>
public sealed class RuleLimitOverrides
{
    public TimeSpan? Timeout { get; set; }

    public int? MaxStatements { get; set; }

    public long? MaxMemoryBytes { get; set; }

    public int? MaxRecursionDepth { get; set; }

    public TimeSpan? RegexTimeout { get; set; }

    public int? MaxArrayLength { get; set; }

    public int? MaxLogLines { get; set; }

    public RuleLimits ApplyTo(RuleLimits defaults) => defaults with
    {
        Timeout = Timeout ?? defaults.Timeout,
        MaxStatements = MaxStatements ?? defaults.MaxStatements,
        MaxMemoryBytes = MaxMemoryBytes ?? defaults.MaxMemoryBytes,
        MaxRecursionDepth = MaxRecursionDepth ?? defaults.MaxRecursionDepth,
        RegexTimeout = RegexTimeout ?? defaults.RegexTimeout,
        MaxArrayLength = MaxArrayLength ?? defaults.MaxArrayLength,
        MaxLogLines = MaxLogLines ?? defaults.MaxLogLines,
    };
}
